import { Buffer } from 'node:buffer';
import type { Change, Plan } from '../../src/module/contract.js';
import { renderPartialConfig } from './parse.js';
import type { BiosConfig, BiosInfo, BiosSetting, SettingWrite } from './parse.js';
import type { SumBiosParamsFromSchema } from './params.generated.js';

/** The params are typed by the schema, the single source. */
export type SumBiosParams = SumBiosParamsFromSchema;

export interface SumBiosState {
  readonly config: BiosConfig;
  readonly info: BiosInfo;
  /** A folder name on the machine running SUM, free for the partial configuration file. */
  readonly workDir: string;
}

export interface ChangedSetting {
  readonly name: string;
  readonly before: string | number;
  readonly after: string | number;
}

/** The argv of one SUM command; out-of-band adds the BMC and its credentials. */
export function sumArgv(params: SumBiosParams, command: string, ...rest: string[]): string[] {
  const target =
    params.mode === 'oob' ? ['-i', params.bmc_host ?? '', '-u', params.bmc_user ?? '', '-p', params.bmc_password ?? ''] : [];
  return [params.sum_path ?? 'sum', ...target, '-c', command, ...rest];
}

/** Where the partial configuration goes, beside the work folder gather chose. */
export const partialPath = (state: SumBiosState): string => `${state.workDir}/changes.${state.config.format === 'xml' ? 'xml' : 'txt'}`;

export function planSumBios(params: SumBiosParams, state: SumBiosState): Plan {
  const { config, info } = state;
  const biosVersion = info.version ?? config.biosVersion;
  const biosDate = info.date ?? config.biosDate;
  const baseResult = { bios_version: biosVersion, bios_date: biosDate, bios_format: config.format };

  const wanted = resolveWanted(params, config);
  if (wanted.errors.length > 0) {
    return { changes: [], failed: `sum_bios: nothing was changed:\n- ${wanted.errors.join('\n- ')}`, result: { ...baseResult, changed_settings: [], reboot_required: false } };
  }

  // reset_to_defaults means "the defaults, except the settings asked for": reset only when an unlisted setting strays.
  const strays = params.reset_to_defaults
    ? config.settings.filter((setting) => !wanted.values.has(setting) && setting.type !== 'Other' && setting.default !== undefined && !sameValue(setting, setting.current, setting.default))
    : [];
  const reset = strays.length > 0;
  const writes: SettingWrite[] = [];
  const changed: ChangedSetting[] = strays.map((setting) => ({ name: setting.key, before: setting.current, after: setting.default as string | number }));
  for (const [setting, value] of wanted.values) {
    const base = reset && setting.type !== 'Other' && setting.default !== undefined ? setting.default : setting.current;
    if (!sameValue(setting, base, value)) writes.push({ setting, value });
    if (!sameValue(setting, setting.current, value)) changed.push({ name: setting.key, before: setting.current, after: value });
  }

  const firmwareChange = params.firmware !== undefined && params.firmware.version !== biosVersion;
  if (firmwareChange && biosVersion === undefined) {
    return { changes: [], failed: 'sum_bios: the running BIOS version could not be read, so the firmware update was not attempted', result: baseResult };
  }

  const steps: Array<{ command: string; args: string[]; description: string }> = [];
  if (reset) steps.push({ command: 'LoadDefaultBiosCfg', args: [], description: `load the default BIOS configuration (${strays.length} setting(s) differ from it)` });
  if (writes.length > 0) {
    steps.push({ command: 'ChangeBiosCfg', args: ['--file', partialPath(state)], description: `change ${writes.length} BIOS setting(s): ${writes.map((write) => write.setting.key).join(', ')}` });
  }
  if (firmwareChange && params.firmware) {
    steps.push({ command: 'UpdateBios', args: ['--file', params.firmware.image], description: `update the BIOS from ${biosVersion ?? '?'} to ${params.firmware.version}` });
  }

  const changes: Change[] = [];
  if (writes.length > 0) {
    changes.push({ kind: 'command', argv: ['mkdir', '-m', '0700', state.workDir], description: `create ${state.workDir}` });
    changes.push({ kind: 'put', path: partialPath(state), content: Buffer.from(renderPartialConfig(config.format, writes), 'latin1'), mode: '0600', description: `write the partial BIOS configuration ${partialPath(state)}` });
  }
  steps.forEach((step, index) => {
    const reboot = params.reboot === true && index === steps.length - 1 ? ['--reboot'] : [];
    changes.push({ kind: 'command', argv: sumArgv(params, step.command, ...step.args, ...reboot), description: step.description });
  });
  if (writes.length > 0) changes.push({ kind: 'command', argv: ['rm', '-rf', state.workDir], description: `remove ${state.workDir}` });

  const result = {
    ...baseResult,
    changed_settings: changed,
    skipped_settings: wanted.skipped,
    reboot_required: steps.length > 0 && params.reboot !== true,
    ...(firmwareChange && params.firmware ? { bios_version_wanted: params.firmware.version } : {}),
  };
  if (steps.length === 0) return { changes: [], result, noopReason: 'the BIOS settings and version are as wanted' };
  const before = changed.map((change) => `${change.name}: ${String(change.before)}`);
  const after = changed.map((change) => `${change.name}: ${String(change.after)}`);
  if (firmwareChange && params.firmware) {
    before.push(`BIOS version: ${biosVersion ?? '?'}`);
    after.push(`BIOS version: ${params.firmware.version}`);
  }
  return { changes, result, diff: { path: 'BIOS', before: lines(before), after: lines(after) } };
}

const lines = (items: readonly string[]): string => items.map((item) => `${item}\n`).join('');

interface Wanted {
  readonly values: Map<BiosSetting, string | number>;
  readonly errors: string[];
  readonly skipped: string[];
}

function resolveWanted(params: SumBiosParams, config: BiosConfig): Wanted {
  const values = new Map<BiosSetting, string | number>();
  const errors: string[] = [];
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(params.settings ?? {})) {
    const setting = findSetting(config, key);
    if (!setting) {
      if (params.skip_unknown) skipped.push(key);
      else errors.push(`unknown setting "${key}"${suggestions(config, key)}`);
      continue;
    }
    const checked = checkValue(setting, value);
    if ('error' in checked) errors.push(checked.error);
    else values.set(setting, checked.value);
  }
  if (params.boot_order !== undefined) {
    const slots = config.settings
      .filter((setting): setting is Extract<BiosSetting, { type: 'Option' }> => setting.type === 'Option' && setting.order !== undefined)
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    if (slots.length === 0) errors.push('boot_order: this board has no boot order settings (no Setting with an order attribute)');
    else if (params.boot_order.length > slots.length) errors.push(`boot_order: ${params.boot_order.length} entries but the board has ${slots.length} boot slots`);
    else {
      params.boot_order.forEach((label, index) => {
        const slot = slots[index] as BiosSetting;
        const checked = checkValue(slot, label);
        if ('error' in checked) errors.push(`boot_order[${index}]: ${checked.error}`);
        else if (values.has(slot) && values.get(slot) !== checked.value) errors.push(`boot_order[${index}] and settings both set "${slot.key}" differently`);
        else values.set(slot, checked.value);
      });
    }
  }
  return { values, errors, skipped };
}

function findSetting(config: BiosConfig, key: string): BiosSetting | undefined {
  const normalized = normalizeKey(key);
  const exact = config.settings.find((setting) => setting.key === key);
  if (exact) return exact;
  const loose = config.settings.filter((setting) => normalizeKey(setting.key) === normalized);
  return loose.length === 1 ? loose[0] : undefined;
}

const normalizeKey = (key: string): string => key.split('|').map((part) => part.trim().toLowerCase()).join('|');

type Checked = { readonly value: string | number } | { readonly error: string };

/** A valid value normalized (the option's exact label, a number), or why it is refused. */
function checkValue(setting: BiosSetting, value: string | number): Checked {
  const fail = (message: string): Checked => ({ error: `${setting.key}: ${message}` });
  switch (setting.type) {
    case 'Option': {
      const text = String(value);
      const option = setting.options.find((candidate) => candidate.label === text) ?? setting.options.find((candidate) => candidate.label.toLowerCase() === text.toLowerCase());
      if (option) return { value: option.label };
      if (setting.options.length === 0 && text === setting.current) return { value: text };
      return fail(`"${text}" is not an available option; available: ${setting.options.map((candidate) => candidate.label).join(', ')}`);
    }
    case 'Numeric': {
      const number = typeof value === 'number' ? value : /^\s*-?(0x[0-9a-f]+|\d+(\.\d+)?)\s*$/i.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(number)) return fail(`"${String(value)}" is not a number`);
      if (setting.min !== undefined && number < setting.min) return fail(`${number} is below the minimum ${setting.min}`);
      if (setting.max !== undefined && number > setting.max) return fail(`${number} is above the maximum ${setting.max}`);
      if (setting.step !== undefined && setting.step > 0 && (number - (setting.min ?? 0)) % setting.step !== 0) {
        return fail(`${number} is not a multiple of the step ${setting.step} from ${setting.min ?? 0}`);
      }
      return { value: number };
    }
    case 'String': {
      const text = String(value);
      if (setting.maxSize !== undefined && text.length > setting.maxSize) return fail(`longer than ${setting.maxSize} characters`);
      if (setting.minSize !== undefined && text.length < setting.minSize) return fail(`shorter than ${setting.minSize} characters`);
      return { value: text };
    }
    case 'Other':
      return fail(`${setting.sumType} settings are not supported by sum_bios`);
  }
}

function sameValue(setting: BiosSetting, a: string | number, b: string | number): boolean {
  return setting.type === 'Numeric' ? Number(a) === Number(b) : String(a) === String(b);
}

/** " (did you mean: A, B, C?)": the closest names by edit distance, on the full key and on the last part. */
export function suggestions(config: BiosConfig, key: string): string {
  const wanted = key.toLowerCase();
  const last = wanted.split('|').pop() ?? wanted;
  const scored = config.settings
    .map((setting) => ({ key: setting.key, score: Math.min(distance(setting.key.toLowerCase(), wanted), distance(setting.name.toLowerCase(), last)) }))
    .sort((a, b) => a.score - b.score || a.key.localeCompare(b.key))
    .slice(0, 3);
  return scored.length === 0 ? '' : ` (did you mean: ${scored.map((entry) => `"${entry.key}"`).join(', ')}?)`;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
