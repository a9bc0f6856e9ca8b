import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/module/contract.js';
import { parseBiosConfig } from '../../../modules/sum_bios/parse.js';
import { planSumBios } from '../../../modules/sum_bios/plan.js';
import type { SumBiosParams, SumBiosState } from '../../../modules/sum_bios/plan.js';

const fixture = (name: string): string => readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'latin1');
const stateOf = (name: string, version = '3.4'): SumBiosState => {
  return { config: parseBiosConfig(fixture(name)), info: { version, date: '2020/10/14' }, workDir: '/tmp/rackplay-sum.TEST' };
};
const x11 = stateOf('x11-current.xml');
const x9 = stateOf('x9-current.txt', '3.2');
const argvs = (changes: readonly Change[]): string[][] => changes.flatMap((change) => (change.kind === 'command' ? [[...change.argv]] : []));
const put = (changes: readonly Change[]): string => {
  const found = changes.find((change) => change.kind === 'put');
  return found?.kind === 'put' ? Buffer.from(found.content).toString('latin1') : '';
};

describe('planSumBios', () => {
  it('writes only the differing settings, across menus, and reports before → after', () => {
    const params: SumBiosParams = {
      settings: {
        'Advanced|CPU Configuration|Hyper-Threading [ALL]': 'Enable',
        'Advanced|Boot Feature|Quiet Boot': 'Disabled',
        'Advanced|Boot Feature|Wait For "F1" If Error': 'Enabled',
        'Advanced|Network Stack Configuration|PXE boot wait time': 3,
      },
    };
    const plan = planSumBios(params, x11);
    expect(plan.failed).toBeUndefined();
    expect(argvs(plan.changes)).toEqual([
      ['mkdir', '-m', '0700', '/tmp/rackplay-sum.TEST'],
      ['sum', '-c', 'ChangeBiosCfg', '--file', '/tmp/rackplay-sum.TEST/changes.xml'],
      ['rm', '-rf', '/tmp/rackplay-sum.TEST'],
    ]);
    const partial = put(plan.changes);
    expect(partial).toContain('selectedOption="Enable"');
    expect(partial).toContain('numericValue="3"');
    expect(partial).not.toContain('F1');
    expect(plan.result).toMatchObject({
      reboot_required: true,
      bios_version: '3.4',
      changed_settings: [
        { name: 'Advanced|CPU Configuration|Hyper-Threading [ALL]', before: 'Disable', after: 'Enable' },
        { name: 'Advanced|Boot Feature|Quiet Boot', before: 'Enabled', after: 'Disabled' },
        { name: 'Advanced|Network Stack Configuration|PXE boot wait time', before: 0, after: 3 },
      ],
    });
    expect(plan.diff).toEqual({
      path: 'BIOS',
      before: 'Advanced|CPU Configuration|Hyper-Threading [ALL]: Disable\nAdvanced|Boot Feature|Quiet Boot: Enabled\nAdvanced|Network Stack Configuration|PXE boot wait time: 0\n',
      after: 'Advanced|CPU Configuration|Hyper-Threading [ALL]: Enable\nAdvanced|Boot Feature|Quiet Boot: Disabled\nAdvanced|Network Stack Configuration|PXE boot wait time: 3\n',
    });
  });

  it('is a no-op when everything already matches (names and labels matched case-insensitively)', () => {
    const plan = planSumBios({ settings: { 'advanced|boot feature|quiet boot': 'enabled', 'Advanced|CPU Configuration|Core Enabled': '0' }, firmware: { image: '/img', version: '3.4' } }, x11);
    expect(plan).toMatchObject({ changes: [], noopReason: 'the BIOS settings and version are as wanted', result: { reboot_required: false, changed_settings: [] } });
  });

  it('refuses unknown settings with the closest names, and invalid values with the options, all at once', () => {
    const plan = planSumBios(
      {
        settings: {
          'Advanced|CPU Configuration|Hyper-Threading': 'Enable',
          'Advanced|Boot Feature|Quiet Boot': 'Off',
          'Advanced|CPU Configuration|Core Enabled': 29,
          'Advanced|Network Stack Configuration|PXE boot wait time': 'soon',
          'Security|Asset Tag': 'x'.repeat(21),
          'Security|Administrator Password': 'hunter2',
        },
      },
      x11,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.failed).toContain('nothing was changed');
    expect(plan.failed).toContain('unknown setting "Advanced|CPU Configuration|Hyper-Threading" (did you mean: "Advanced|CPU Configuration|Hyper-Threading [ALL]"');
    expect(plan.failed).toContain('Advanced|Boot Feature|Quiet Boot: "Off" is not an available option; available: Disabled, Enabled');
    expect(plan.failed).toContain('Core Enabled: 29 is above the maximum 28');
    expect(plan.failed).toContain('PXE boot wait time: "soon" is not a number');
    expect(plan.failed).toContain('Asset Tag: longer than 20 characters');
    expect(plan.failed).toContain('Administrator Password: Password settings are not supported');
  });

  it('skips unknown settings with skip_unknown and reports them', () => {
    const plan = planSumBios({ skip_unknown: true, settings: { 'Advanced|Turbo': 'Enabled', 'Advanced|Boot Feature|Quiet Boot': 'Disabled' } }, x11);
    expect(plan.failed).toBeUndefined();
    expect(plan.result).toMatchObject({ skipped_settings: ['Advanced|Turbo'] });
    expect(plan.changes).toHaveLength(4);
  });

  it('sets the boot order through the ordered boot option settings', () => {
    const plan = planSumBios({ boot_order: ['UEFI Network:IPv4 Intel(R) I350 Gigabit', 'UEFI Hard Disk:Samsung SSD 860'] }, x11);
    expect(plan.result?.changed_settings).toEqual([
      { name: 'Boot|Boot Option #1', before: 'UEFI Hard Disk:Samsung SSD 860', after: 'UEFI Network:IPv4 Intel(R) I350 Gigabit' },
      { name: 'Boot|Boot Option #2', before: 'UEFI Network:IPv4 Intel(R) I350 Gigabit', after: 'UEFI Hard Disk:Samsung SSD 860' },
    ]);
    expect(planSumBios({ boot_order: ['Floppy'] }, x11).failed).toContain('boot_order[0]: Boot|Boot Option #1: "Floppy" is not an available option');
    expect(planSumBios({ boot_order: ['Disabled', 'Disabled', 'Disabled'] }, x11).failed).toContain('3 entries but the board has 2 boot slots');
  });

  it('runs SUM out-of-band with the BMC and credentials, --reboot on the last command only', () => {
    const params: SumBiosParams = {
      mode: 'oob',
      bmc_host: '127.0.0.1',
      bmc_user: 'ADMIN',
      bmc_password: 'pw',
      sum_path: '/opt/sum/sum',
      reboot: true,
      settings: { 'Advanced|Boot Feature|Quiet Boot': 'Disabled' },
      firmware: { image: '/images/X11.bin', version: '4.0' },
    };
    const plan = planSumBios(params, x11);
    expect(argvs(plan.changes).filter((argv) => argv[0] === '/opt/sum/sum')).toEqual([
      ['/opt/sum/sum', '-i', '127.0.0.1', '-u', 'ADMIN', '-p', 'pw', '-c', 'ChangeBiosCfg', '--file', '/tmp/rackplay-sum.TEST/changes.xml'],
      ['/opt/sum/sum', '-i', '127.0.0.1', '-u', 'ADMIN', '-p', 'pw', '-c', 'UpdateBios', '--file', '/images/X11.bin', '--reboot'],
    ]);
    expect(plan.result).toMatchObject({ reboot_required: false, bios_version_wanted: '4.0' });
    expect(plan.diff).toMatchObject({ before: expect.stringContaining('BIOS version: 3.4\n'), after: expect.stringContaining('BIOS version: 4.0\n') });
    for (const change of plan.changes) expect(change.description).not.toContain('pw');
  });

  it('resets to defaults only when an unlisted setting differs from its default, keeping the listed ones', () => {
    const plan = planSumBios({ reset_to_defaults: true, settings: { 'Advanced|CPU Configuration|Hyper-Threading [ALL]': 'Disable' } }, x11);
    // Asset Tag and Boot Mode Select differ from their defaults: a reset is due; Hyper-Threading is listed, so it is written back after it.
    expect(argvs(plan.changes).map((argv) => argv.slice(1, 3).join(' '))).toEqual(['-m 0700', '-c LoadDefaultBiosCfg', '-c ChangeBiosCfg', '-rf /tmp/rackplay-sum.TEST']);
    expect(put(plan.changes)).toContain('Hyper-Threading [ALL]" selectedOption="Disable"');
    expect(plan.result?.changed_settings).toEqual([
      { name: 'Security|Asset Tag', before: 'rack-07&u12', after: '' },
      { name: 'Boot|Boot Mode Select', before: 'UEFI', after: 'DUAL' },
    ]);

    const listed = { 'Boot|Boot Mode Select': 'UEFI', 'Security|Asset Tag': 'rack-07&u12', 'Advanced|CPU Configuration|Hyper-Threading [ALL]': 'Disable' };
    const asDefaults = planSumBios({ reset_to_defaults: true, settings: listed }, x11);
    expect(asDefaults.changes).toEqual([]);
  });

  it('refuses a firmware update when the running version is unknown', () => {
    const state: SumBiosState = { ...x11, info: {}, config: { ...x11.config, biosVersion: undefined } };
    expect(planSumBios({ firmware: { image: '/i', version: '4.0' } }, state).failed).toContain('could not be read');
  });

  it('writes the text format for an X9-class board', () => {
    const plan = planSumBios({ settings: { 'Advanced|Processor & Clock Options|Hyper-threading': 'Enabled' } }, x9);
    expect(put(plan.changes)).toBe('[Advanced|Processor & Clock Options]\nHyper-threading=01\n');
    expect(argvs(plan.changes)[1]).toEqual(['sum', '-c', 'ChangeBiosCfg', '--file', '/tmp/rackplay-sum.TEST/changes.txt']);
  });
});
