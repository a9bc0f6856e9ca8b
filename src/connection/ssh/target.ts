import type { HostKeyChecking } from './host-key-check.js';

/** Everything needed to reach one host over SSH. Built by sshTargetFromVars or by hand (tests, bastions). */
export interface SshTarget {
  readonly host: string;
  /** Default 22. */
  readonly port?: number;
  /** Default: the controller's current user. */
  readonly user?: string;
  /** Tried in order, before the agent and the password. */
  readonly privateKeyPaths?: readonly string[];
  readonly passphrase?: string;
  readonly password?: string;
  /** Path of an ssh-agent socket. */
  readonly agent?: string;
  /** Default 'strict', like OpenSSH in batch mode and Ansible's host_key_checking=True. */
  readonly hostKeyChecking?: HostKeyChecking;
  /** Default ~/.ssh/known_hosts (of $HOME, like Node's os.homedir()). */
  readonly knownHostsFile?: string;
  /** Handshake + auth deadline; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Default 15 s. */
  readonly keepaliveIntervalMs?: number;
  /** Concurrent channels on this connection; default 8, below sshd's MaxSessions 10. */
  readonly maxChannels?: number;
  /** A bastion to tunnel through (direct-tcpip), itself possibly behind another. */
  readonly proxyJump?: SshTarget;
  /** Extra connect attempts on refused/timeout/reset, with backoff; default 2. Never on auth or host key failures. */
  readonly retries?: number;
  /** Run commands through a long-lived sh per connection instead of one exec each; default true. */
  readonly persistentShell?: boolean;
  /** Used for `become` when the run options do not carry a password (ansible_become_password). */
  readonly becomePassword?: string;
}

export const SSH_DEFAULTS = {
  port: 22,
  hostKeyChecking: 'strict' as HostKeyChecking,
  connectTimeoutMs: 10_000,
  keepaliveIntervalMs: 15_000,
  maxChannels: 8,
  retries: 2,
} as const;

/** `user@host:port` for messages. */
export function describeTarget(target: SshTarget): string {
  const user = target.user !== undefined ? `${target.user}@` : '';
  return `${user}${target.host}:${target.port ?? SSH_DEFAULTS.port}`;
}
