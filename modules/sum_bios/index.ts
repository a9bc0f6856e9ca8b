import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { applyChange } from '../../src/module/apply.js';
import { defineModule } from '../../src/module/contract.js';
import type { ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';
import { planSumBios } from './plan.js';
import type { ChangedSetting, SumBiosParams, SumBiosState } from './plan.js';
import { maskSecret, readBiosInfo, readCurrentConfig, runSum, workDirName } from './sum.js';

export default defineModule<SumBiosParams, SumBiosState>({
  name: 'sum_bios',
  meta: {
    checkMode: 'full',
    diff: true,
    idempotent: true,
    platforms: ['supermicro'],
    returns: {
      changed_settings: 'list of {name, before, after}: the settings this run changes (or would change under --check)',
      skipped_settings: 'names in settings that the board does not have, with skip_unknown=true',
      reboot_required: 'true when something changed and reboot was not asked for: the changes take effect after a reboot',
      bios_version: 'the running BIOS version before this run',
      bios_date: 'the running BIOS build date before this run',
      bios_format: "'xml' (SUM 2.x) or 'text' (SUM 1.x): the board's configuration format",
      bios_version_wanted: 'the firmware version being installed, when an update runs',
      backup_file: 'with backup_dir: the full configuration saved on the controller before the change',
    },
  },
  gather: async (ctx, params) => {
    const info = await readBiosInfo(ctx, params);
    const { config } = await readCurrentConfig(ctx, params);
    return { info, config, workDir: await workDirName(ctx) };
  },
  plan: planSumBios,
  apply: applySumBios,
});

async function applySumBios(ctx: ModuleContext, plan: Plan, params: SumBiosParams): Promise<ModuleResult> {
  if (plan.changes.length === 0) return { ...plan.result, changed: false };
  // The backup comes first: when it cannot be written, nothing changes.
  const backupFile = params.backup_dir === undefined ? undefined : await writeBackup(ctx, params, params.backup_dir);
  for (const change of plan.changes) {
    if (change.kind === 'command' && change.argv[0] === (params.sum_path ?? 'sum')) await runSum(ctx, params, change.argv);
    else await applyChange(ctx, change);
  }
  await confirm(ctx, params, plan);
  return { ...plan.result, changed: true, ...(backupFile === undefined ? {} : { backup_file: backupFile }) };
}

/** Reads the configuration back and checks that every planned setting now holds its value. */
async function confirm(ctx: ModuleContext, params: SumBiosParams, plan: Plan): Promise<void> {
  const changed = (plan.result?.changed_settings ?? []) as readonly ChangedSetting[];
  if (changed.length === 0) return;
  const { config } = await readCurrentConfig(ctx, params);
  const wrong = changed.filter((change) => {
    const now = config.settings.find((setting) => setting.key === change.name);
    return now === undefined || String(now.current) !== String(change.after);
  });
  if (wrong.length > 0) {
    throw new Error(maskSecret(`sum_bios: after ChangeBiosCfg these settings do not hold their new value: ${wrong.map((change) => change.name).join(', ')}`, params.bmc_password));
  }
}

/** Saves the full current configuration, read fresh, on the controller; named by host and time. */
async function writeBackup(ctx: ModuleContext, params: SumBiosParams, backupDir: string): Promise<string> {
  const { raw, config } = await readCurrentConfig(ctx, params);
  const folder = isAbsolute(backupDir) ? backupDir : join(ctx.baseDir, backupDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const extension = config.format === 'text' ? 'txt' : 'xml';
  const path = join(folder, `${ctx.host.name.replace(/[^A-Za-z0-9._-]/g, '_')}-bios-${stamp}.${extension}`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(path, raw, { flag: 'wx', mode: 0o600, encoding: 'latin1' });
  } catch (error) {
    throw new Error(`sum_bios: nothing was changed: the backup ${path} could not be written: ${(error as Error).message}`, { cause: error });
  }
  return path;
}
