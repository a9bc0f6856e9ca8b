import { LocalConnection } from '../connection/local.js';
import type { Connection } from '../connection/types.js';
import { addSecretForms } from './secret-forms.js';

/** How a host is reached, from its variables (Ansible's names, rackplay_ spellings winning). */
export function connectionKind(vars: Readonly<Record<string, unknown>>): 'local' | 'ssh' {
  const kind = vars.rackplay_connection ?? vars.ansible_connection;
  return kind === 'local' ? 'local' : 'ssh';
}

export type SshOpener = (host: string, vars: Readonly<Record<string, unknown>>) => Promise<Connection>;

/** One connection per host for the whole run, opened on first use and reused by every task. */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<Connection>>();
  private readonly local = new LocalConnection();

  /** `secrets`: the run's set of values to mask; the passwords a host is reached with join it. */
  constructor(
    private readonly openSsh: SshOpener,
    private readonly secrets?: Set<string>,
  ) {}

  get(host: string, vars: Readonly<Record<string, unknown>>): Promise<Connection> {
    if (this.secrets !== undefined) rememberConnectionSecrets(this.secrets, vars);
    if (connectionKind(vars) === 'local') return Promise.resolve(this.local);
    let connection = this.open.get(host);
    if (connection === undefined) {
      connection = this.openSsh(host, vars);
      // A failed open is not cached: the host is marked unreachable by the caller and never asked again.
      connection.catch(() => this.open.delete(host));
      this.open.set(host, connection);
    }
    return connection;
  }

  async closeAll(): Promise<void> {
    const connections = await Promise.allSettled(this.open.values());
    this.open.clear();
    await Promise.allSettled(connections.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
  }
}

/** The connection variables that hold passwords, in Ansible's and rackplay's spellings: masked like x-secret params. */
const CONNECTION_SECRET_VARS = ['password', 'ssh_pass', 'ssh_password', 'private_key_passphrase', 'ssh_private_key_passphrase', 'become_password', 'become_pass', 'sudo_pass'].flatMap(
  (name) => [`ansible_${name}`, `rackplay_${name}`],
);

export function rememberConnectionSecrets(secrets: Set<string>, vars: Readonly<Record<string, unknown>>): void {
  for (const name of CONNECTION_SECRET_VARS) {
    const value = vars[name];
    if (typeof value === 'string' && value !== '') addSecretForms(secrets, value);
  }
}
