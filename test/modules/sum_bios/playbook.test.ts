import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/paths.js';
import { rackplay, recapOf } from '../../helpers/cli.js';
import { startEmulator } from '../../sum/emulator.js';
import type { Emulator } from '../../sum/emulator.js';
import { BMC_PASSWORD, x11Board } from '../../sum/models.js';

const playbook = join(packageRoot, 'playbooks', 'bios-baseline.yml');
const inventory = join(packageRoot, 'playbooks', 'inventory', 'bmcs.yml');

describe('playbooks/bios-baseline.yml against the SUM emulator as a BMC', () => {
  let emulator: Emulator;
  beforeEach(async () => (emulator = await startEmulator(x11Board())));
  afterEach(async () => emulator.cleanup());
  const args = (password = BMC_PASSWORD) => ['run', playbook, '-i', inventory, '-e', `sum_path=${emulator.sumPath}`, '-e', JSON.stringify({ bmc_password: password })];

  it('converges, reports the reboot, then changes nothing; the BMC password appears in no output', async () => {
    const first = await rackplay(...args(), '--output', 'json', '--diff', '-v');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const events = first.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; stats?: Record<string, { changed: number }> });
    expect(events.at(-1)!.stats!['node01-bmc']!.changed).toBe(1);
    expect(first.stdout).toContain('reboot needed for');
    const second = await rackplay(...args(), '--output', 'plain', '--diff', '-v');
    expect(recapOf(second.stdout, 'node01-bmc')).toMatchObject({ changed: 0, failed: 0 });
    expect(second.stdout).toContain('BIOS is at the baseline');
    for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(output).not.toContain(BMC_PASSWORD);
  });

  it('once a value was a secret parameter, the engine masks it in every later output too', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(join(emulator.dir, 'play-'));
    const site = join(dir, 'site.yml');
    await writeFile(
      site,
      `- hosts: bmcs
  tasks:
    - sum_bios: { mode: oob, bmc_host: "{{bmc_address}}", bmc_user: ADMIN, bmc_password: "{{bmc_password}}", sum_path: "{{sum_path}}", settings: { "Advanced|Boot Feature|Quiet Boot": Disabled } }
    - debug: { msg: "careless: {{bmc_password}}" }
`,
    );
    const run = await rackplay('run', site, '-i', inventory, '-e', `sum_path=${emulator.sumPath}`, '-e', JSON.stringify({ bmc_password: BMC_PASSWORD }), '--output', 'json');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('careless: ********');
    expect(run.stdout).not.toContain(BMC_PASSWORD);
    await rm(dir, { recursive: true, force: true });
  });

  it('a wrong BMC password fails clearly, and is not shown either', async () => {
    const wrong = 'Wr0ng-Passw0rd';
    for (const output of ['plain', 'json']) {
      const run = await rackplay(...args(wrong), '--output', output, '-v');
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/login failed|146/i);
      expect(run.stdout + run.stderr).not.toContain(wrong);
    }
  });
});
