import type { Change, ModuleContext, Plan } from '../../src/module/contract.js';
import { applyChange } from '../../src/module/apply.js';

/**
 * Copies "$1" to Ansible's backup name, `PATH.PID.YYYY-MM-DD@HH:MM:SS~`, and prints that name.
 * The timestamp is taken on the host, at apply time, so that plan stays pure.
 */
const BACKUP_SCRIPT = 'b="$1.$$.$(date +%Y-%m-%d@%H:%M:%S)~" && cp -p -- "$1" "$b" && printf %s "$b"';

export function backupChange(path: string): Change {
  return { kind: 'script', script: BACKUP_SCRIPT, args: [path], description: `back up ${path}` };
}

function isBackup(change: Change): boolean {
  return change.kind === 'script' && change.script === BACKUP_SCRIPT;
}

/** Applies every change in order and reports the backup file, when one was made. */
export async function applyKeepingBackupName(ctx: ModuleContext, plan: Plan): Promise<{ backupFile?: string }> {
  let backupFile: string | undefined;
  for (const change of plan.changes) {
    const output = await applyChange(ctx, change);
    if (isBackup(change)) backupFile = output.stdout;
  }
  return backupFile === undefined ? {} : { backupFile };
}
