import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { splitHostPort } from './host-address.js';
import { expandHostRange, HostRangeError } from './host-range.js';

/** Expands an inventory host key (`web[01:03]:2222`) into host names; a bad range becomes a problem. */
export function expandHostKey(key: string, position: SourcePosition, problems: RackplayError[]): { name: string; port?: number }[] {
  const { host, port } = splitHostPort(key);
  try {
    return expandHostRange(host).map((name) => ({ name, port }));
  } catch (error) {
    if (!(error instanceof HostRangeError)) throw error;
    problems.push(new RackplayError('E_HOST_RANGE', error.message, position));
    return [];
  }
}
