import { UnreachableError } from './types.js';
import type { Connection } from './types.js';

/**
 * Opens the SSH connection for an inventory host; ssh2 is loaded only when a run needs it.
 * With `rackplay_ssh_persist` (or RACKPLAY_SSH_PERSIST) set to N seconds and strict host key checking, the
 * connection is held by the connection keeper (src/connection/keeper/) and kept N seconds after the run for the
 * next one, like OpenSSH's ControlPersist. `fresh` (the reachability probe) always dials anew.
 */
export async function openSshForHost(host: string, vars: Readonly<Record<string, unknown>>, options: { fresh?: boolean } = {}): Promise<Connection> {
  const { openSsh, sshTargetFromVars } = await import('./ssh/index.js');
  const target = sshTargetFromVars(host, vars as Record<string, unknown>);
  const persist = persistSeconds(vars);
  if (options.fresh !== true && persist !== undefined && (target.hostKeyChecking ?? 'strict') === 'strict') {
    const { openKept } = await import('./keeper/client.js');
    try {
      return await openKept(target, host, persist);
    } catch (error) {
      // The host's own failure is the host's; a keeper that cannot serve (its folder refused, not starting) is not.
      if (error instanceof UnreachableError) throw error;
    }
  }
  return openSsh(target, host);
}

function persistSeconds(vars: Readonly<Record<string, unknown>>): number | undefined {
  const raw = vars.rackplay_ssh_persist ?? process.env.RACKPLAY_SSH_PERSIST;
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
