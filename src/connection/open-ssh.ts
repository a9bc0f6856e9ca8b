import type { Connection } from './types.js';

/** Opens the SSH connection for an inventory host; ssh2 is loaded only when a run needs it. */
export async function openSshForHost(host: string, vars: Readonly<Record<string, unknown>>): Promise<Connection> {
  const { openSsh, sshTargetFromVars } = await import('./ssh/index.js');
  return openSsh(sshTargetFromVars(host, vars as Record<string, unknown>), host);
}
