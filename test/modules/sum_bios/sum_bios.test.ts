import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import sumBios from '../../../modules/sum_bios/index.js';
import { parseBiosConfig } from '../../../modules/sum_bios/parse.js';
import type { SumBiosParams } from '../../../modules/sum_bios/plan.js';
import { biosOf, startEmulator } from '../../sum/emulator.js';
import type { Emulator } from '../../sum/emulator.js';
import { BMC_PASSWORD, biosImage, x11Board, x9Board } from '../../sum/models.js';
import type { EmulatorState } from '../../sum/models.js';
import { planTask, runTask } from '../context.js';
import { useTempDir } from '../tree.js';

const dir = useTempDir();
let emulator: Emulator;
afterEach(async () => {
  await emulator.cleanup();
});

const start = async (state: EmulatorState): Promise<Emulator> => (emulator = await startEmulator(state));
const oob = (extra: Partial<SumBiosParams>): SumBiosParams => ({
  mode: 'oob',
  bmc_host: '127.0.0.1',
  bmc_user: 'ADMIN',
  bmc_password: BMC_PASSWORD,
  sum_path: emulator.sumPath,
  ...extra,
});
const commandsRun = async (): Promise<Array<string | null>> => ((await emulator.read()).log ?? []).map((entry) => entry.command);
const options = () => ({ baseDir: dir.path });

const baseline = {
  'Advanced|CPU Configuration|Hyper-Threading [ALL]': 'Enable',
  'Advanced|Boot Feature|Quiet Boot': 'Disabled',
  'Advanced|CPU Configuration|Advanced Power Management Configuration|Power Technology': 'Custom',
  'Advanced|Network Stack Configuration|PXE boot wait time': 3,
  'Advanced|Boot Feature|Wait For "F1" If Error': 'Enabled',
  'Security|Asset Tag': 'rack-07 <u12> & co',
};

describe('sum_bios against the SUM emulator', () => {
  it('out-of-band: check changes nothing, the first run writes only the differing settings, the second is a no-op', async () => {
    await start(x11Board());
    const params = oob({ settings: baseline, boot_order: ['UEFI Network:IPv4 Intel(R) I350 Gigabit', 'UEFI Hard Disk:Samsung SSD 860'] });
    const before = biosOf(await emulator.read());

    const checked = await planTask(sumBios, params, options());
    expect(checked.failed).toBeUndefined();
    expect(checked.changes.length).toBeGreaterThan(0);
    expect(biosOf(await emulator.read())).toEqual(before);
    expect(await commandsRun()).not.toContain('ChangeBiosCfg');
    expect(checked.diff).toMatchObject({ path: 'BIOS', after: expect.stringContaining('Advanced|Boot Feature|Quiet Boot: Disabled\n') });

    const first = await runTask(sumBios, params, options());
    expect(first.result).toMatchObject({ changed: true, reboot_required: true, bios_version: '3.4', bios_date: '2020/10/14', bios_format: 'xml' });
    const names = (first.result?.changed_settings as Array<{ name: string }>).map((change) => change.name);
    expect(names).toEqual([
      'Advanced|CPU Configuration|Hyper-Threading [ALL]',
      'Advanced|Boot Feature|Quiet Boot',
      'Advanced|CPU Configuration|Advanced Power Management Configuration|Power Technology',
      'Advanced|Network Stack Configuration|PXE boot wait time',
      'Security|Asset Tag',
      'Boot|Boot Option #1',
      'Boot|Boot Option #2',
    ]);
    const state = await emulator.read();
    expect(state.pendingReboot).toBe(true);
    // The partial file held only what differed: not the F1 setting that already matched.
    const partial = parseBiosConfig(state.lastChange ?? '');
    expect(partial.settings.map((setting) => setting.key).sort()).toEqual([...names].sort());

    const second = await runTask(sumBios, params, options());
    expect(second.plan.changes).toEqual([]);
    expect(second.result).toMatchObject({ changed: false, reboot_required: false, changed_settings: [] });
    expect(second.plan.noopReason).toBe('the BIOS settings and version are as wanted');
  });

  it('refuses an unknown setting (with suggestions) and a value outside AvailableOptions before anything changes', async () => {
    await start(x11Board());
    const before = biosOf(await emulator.read());
    const outcome = await runTask(sumBios, oob({ settings: { 'Advanced|CPU Configuration|HyperThreading': 'Enable', 'Advanced|Boot Feature|Quiet Boot': 'Off', 'Boot|Boot Mode Select': 'DUAL' } }), options());
    expect(outcome.result).toBeUndefined();
    expect(outcome.plan.failed).toContain('unknown setting "Advanced|CPU Configuration|HyperThreading" (did you mean: "Advanced|CPU Configuration|Hyper-Threading [ALL]"');
    expect(outcome.plan.failed).toContain('"Off" is not an available option; available: Disabled, Enabled');
    expect(biosOf(await emulator.read())).toEqual(before);
    expect(await commandsRun()).toEqual(['GetBiosInfo', 'GetCurrentBiosCfg']);
  });

  it('saves the full configuration to backup_dir before the change, and a failed backup blocks it', async () => {
    await start(x11Board());
    const params = oob({ settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' }, backup_dir: 'backups' });
    const first = await runTask(sumBios, params, { ...options(), vars: {} });
    const backupFile = first.result?.backup_file as string;
    expect(backupFile).toMatch(/backups\/localhost-bios-\d{4}-\d\d-\d\dT[\d-]+Z\.xml$/);
    const saved = parseBiosConfig(await readFile(backupFile, 'latin1'));
    expect(saved.settings.find((setting) => setting.name === 'Quiet Boot')?.current).toBe('Enabled');
    expect(await readdir(join(dir.path, 'backups'))).toHaveLength(1);

    const blocked = oob({ settings: { 'Advanced|Boot Feature|Quiet Boot': 'Enabled' }, backup_dir: 'not-a-folder' });
    await writeFile(join(dir.path, 'not-a-folder'), 'a file where the folder should be');
    const before = biosOf(await emulator.read());
    await expect(runTask(sumBios, blocked, options())).rejects.toThrow(/nothing was changed: the backup .* could not be written/);
    expect(biosOf(await emulator.read())).toEqual(before);
  });

  it('updates the firmware only when the running version differs', async () => {
    await start(x11Board());
    const image = join(dir.path, 'X11DPI9.B22');
    await writeFile(image, biosImage('X11DPi-NT', '4.0'));
    const params = oob({ firmware: { image, version: '4.0' } });
    const checked = await planTask(sumBios, params, options());
    expect(checked.diff).toEqual({ path: 'BIOS', before: 'BIOS version: 3.4\n', after: 'BIOS version: 4.0\n' });
    expect((await emulator.read()).bios.version).toBe('3.4');

    const first = await runTask(sumBios, params, options());
    expect(first.result).toMatchObject({ changed: true, reboot_required: true, bios_version: '3.4', bios_version_wanted: '4.0' });
    expect((await emulator.read()).bios).toEqual({ version: '4.0', date: '2024/01/15' });
    const second = await runTask(sumBios, params, options());
    expect(second.result).toMatchObject({ changed: false, bios_version: '4.0' });
  });

  it('maps a firmware image for another board to SUM exit 82, with its meaning', async () => {
    await start(x11Board());
    const image = join(dir.path, 'X9.bin');
    await writeFile(image, biosImage('X9DRi-LN4+', '4.0'));
    await expect(runTask(sumBios, oob({ firmware: { image, version: '4.0' } }), options())).rejects.toThrow(/sum UpdateBios failed with exit 82 \(board mismatch/);
  });

  it('reset_to_defaults loads the defaults only while something strays from them', async () => {
    await start(x11Board());
    const params = oob({ reset_to_defaults: true, settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' } });
    const first = await runTask(sumBios, params, options());
    expect(first.result?.changed_settings).toEqual([
      { name: 'Advanced|CPU Configuration|Hyper-Threading [ALL]', before: 'Disable', after: 'Enable' },
      { name: 'Boot|Boot Mode Select', before: 'UEFI', after: 'DUAL' },
      { name: 'Advanced|Boot Feature|Quiet Boot', before: 'Enabled', after: 'Disabled' },
    ]);
    expect(await commandsRun()).toContain('LoadDefaultBiosCfg');
    const second = await runTask(sumBios, params, options());
    expect(second.result).toMatchObject({ changed: false });
  });

  it('reboot=true passes --reboot and then no reboot is required', async () => {
    await start(x11Board());
    const first = await runTask(sumBios, oob({ settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' }, reboot: true }), options());
    expect(first.result).toMatchObject({ changed: true, reboot_required: false });
    expect(await emulator.read()).toMatchObject({ pendingReboot: false, reboots: 1 });
  });

  it('a wrong BMC password gives a clear error that does not show the password', async () => {
    await start({ ...x11Board(), bmc: { host: '127.0.0.1', user: 'ADMIN', password: 'the-right-one' } });
    const error = await runTask(sumBios, oob({ settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' } }), options()).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/sum GetBiosInfo failed with exit 146 \(BMC login failed: wrong user or password\)/);
    expect((error as Error).message).not.toContain(BMC_PASSWORD);
  });

  it('a missing sum binary gives a clear error without the password', async () => {
    await start(x11Board());
    const error = await runTask(sumBios, { ...oob({ settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' } }), sum_path: join(dir.path, 'no-such-sum') }, options()).catch(
      (caught: unknown) => caught as Error,
    );
    expect((error as Error).message).toMatch(/sum GetBiosInfo failed with exit 127 \(sum not found \(see sum_path\)\)/);
    expect((error as Error).message).not.toContain(BMC_PASSWORD);
  });

  it('keeps the password out of results, diffs and change descriptions', async () => {
    await start(x11Board());
    const params = oob({ settings: baseline, backup_dir: 'backups' });
    const checked = await planTask(sumBios, params, options());
    const shown = JSON.stringify({ diff: checked.diff, result: checked.result, descriptions: checked.changes.map((change) => change.description) });
    expect(shown).not.toContain(BMC_PASSWORD);
    const first = await runTask(sumBios, params, options());
    expect(JSON.stringify(first.result)).not.toContain(BMC_PASSWORD);
  });

  it('fails when the board reports success but the read-back shows the old values', async () => {
    await start({ ...x11Board(), dropChanges: true });
    await expect(runTask(sumBios, oob({ settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' } }), options())).rejects.toThrow(
      /do not hold their new value: Advanced\|Boot Feature\|Quiet Boot/,
    );
  });

  it('in-band on an X9-class board: the SUM 1.x text format end to end', async () => {
    await start(x9Board());
    const params: SumBiosParams = { sum_path: emulator.sumPath, settings: { 'Advanced|Processor & Clock Options|Hyper-threading': 'Enabled', 'Advanced|Boot Feature|Quiet Boot': 'Enabled' } };
    const checked = await planTask(sumBios, params, options());
    expect(checked.result?.changed_settings).toEqual([{ name: 'Advanced|Processor & Clock Options|Hyper-threading', before: 'Disabled', after: 'Enabled' }]);
    const first = await runTask(sumBios, params, options());
    expect(first.result).toMatchObject({ changed: true, bios_format: 'text', bios_version: '3.2' });
    const state = await emulator.read();
    expect(state.lastChange).toBe('[Advanced|Processor & Clock Options]\nHyper-threading=01\n');
    expect(state.log?.every((entry) => !entry.oob)).toBe(true);
    expect((await runTask(sumBios, params, options())).plan.changes).toEqual([]);
  });

  it('finds sum on PATH by default', async () => {
    await start(x9Board());
    const path = process.env.PATH;
    process.env.PATH = `${emulator.binDir}:${path ?? ''}`;
    try {
      const plan = await planTask(sumBios, { settings: { 'Advanced|Boot Feature|Quiet Boot': 'Enabled' } }, options());
      expect(plan.changes).toEqual([]);
    } finally {
      process.env.PATH = path;
    }
  });
});
