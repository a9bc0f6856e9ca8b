import type { SshTarget } from '../../src/connection/ssh/target.js';
import type { SshLab } from './ssh-lab.js';

/** The SshTarget of a lab: its key, its known_hosts, strict checking, and no agent (tests stay hermetic). */
export function labTarget(lab: SshLab, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    host: lab.host,
    port: lab.port,
    user: lab.user,
    privateKeyPaths: [lab.privateKeyPath],
    knownHostsFile: lab.knownHostsFile,
    hostKeyChecking: 'strict',
    connectTimeoutMs: 5_000,
    ...overrides,
  };
}
