import { LocalConnection } from '../connection/local.js';
import type { Connection } from '../connection/types.js';

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

  constructor(private readonly openSsh: SshOpener) {}

  get(host: string, vars: Readonly<Record<string, unknown>>): Promise<Connection> {
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
