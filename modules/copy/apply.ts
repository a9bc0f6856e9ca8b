import type { ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';
import { applyKeepingBackupName } from '../file/backup.js';

/** Writes the planned file and reports the backup's name, as Ansible's `backup_file`. */
export async function applyWrite(ctx: ModuleContext, plan: Plan): Promise<ModuleResult> {
  const { backupFile } = await applyKeepingBackupName(ctx, plan);
  return { ...plan.result, changed: plan.changes.length > 0, ...(backupFile === undefined ? {} : { backup_file: backupFile }) };
}
