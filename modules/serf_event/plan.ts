import type { Plan } from '../../src/module/contract.js';
import { serfChange } from '../serf_agent/commands.js';
import type { SerfEventParamsFromSchema } from './params.generated.js';

export type SerfEventParams = SerfEventParamsFromSchema;

/** msgpack's length header for a string or byte string of n bytes, as Serf's codec writes them. */
function header(n: number): number {
  return n < 32 ? 1 : n < 65536 ? 3 : 5;
}

/**
 * The size Serf gives a user event once encoded: message type, a 4-entry map (LTime, Name, Payload, CC) with its key
 * names, and the values. The Lamport time is counted as 5 bytes (up to 2^32 events), so this errs on the safe side by
 * at most 4 bytes. Measured: name "foo" with a 479-byte payload is exactly 512 on a fresh agent.
 */
export function encodedEventSize(name: string, payload: string): number {
  const nameBytes = Buffer.byteLength(name);
  const payloadBytes = Buffer.byteLength(payload);
  return 1 + 1 + (1 + 5) + 5 + (1 + 4) + header(nameBytes) + nameBytes + (1 + 7) + header(payloadBytes) + payloadBytes + (1 + 2) + 1;
}

/** PURE. One `serf event`, always a change; an event over the size limit fails before anything is sent. */
export function planSerfEvent(params: SerfEventParams): Plan {
  const limit = params.user_event_size_limit ?? 512;
  const payload = params.payload ?? '';
  const raw = Buffer.byteLength(params.name) + Buffer.byteLength(payload);
  const encoded = encodedEventSize(params.name, payload);
  const result = { name: params.name, payload_bytes: Buffer.byteLength(payload), encoded_bytes: encoded, coalesce: params.coalesce ?? true };
  if (encoded > limit) {
    return { changes: [], result, failed: `user event '${params.name}' is ${encoded} bytes once encoded (name ${Buffer.byteLength(params.name)} + payload ${Buffer.byteLength(payload)}, ${raw} raw), over user_event_size_limit ${limit}: nothing was sent` };
  }
  const target = { executable: params.executable ?? 'serf', rpcAddr: params.rpc_addr ?? '127.0.0.1:7373', ...(params.rpc_auth === undefined ? {} : { rpcAuth: params.rpc_auth }) };
  // `--` ends serf's flags: a name or payload starting with '-' stays an operand.
  const args = [...(params.coalesce === false ? ['-coalesce=false'] : []), '--', params.name, ...(payload === '' ? [] : [payload])];
  return { changes: [serfChange(target, 'event', args, `serf event ${params.coalesce === false ? '-coalesce=false ' : ''}${params.name} (${Buffer.byteLength(payload)} bytes) via ${target.rpcAddr}`)], result };
}
