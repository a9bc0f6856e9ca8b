import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/index.js';
import type { ModuleContext } from '../../../src/module/contract.js';
import sumBios from '../../../modules/sum_bios/index.js';
import type { SumBiosParams } from '../../../modules/sum_bios/plan.js';
import { startSshLab } from '../../lab/ssh-lab.js';
import type { SshLab } from '../../lab/ssh-lab.js';
import { labTarget } from '../../lab/ssh-target.js';
import { startEmulator } from '../../sum/emulator.js';
import type { Emulator } from '../../sum/emulator.js';
import { x11Board } from '../../sum/models.js';

/** In-band: sum runs on the host, reached through the real loopback sshd of the lab. */
describe('sum_bios in-band over SSH', () => {
  let lab: SshLab;
  let ssh: SshConnection;
  let emulator: Emulator;
  let baseDir: string;

  beforeAll(async () => {
    lab = await startSshLab();
    ssh = await openSsh(labTarget(lab), 'lab-1');
    emulator = await startEmulator(x11Board());
    baseDir = await mkdtemp(join(tmpdir(), 'rackplay-sum-ssh-'));
  });
  afterAll(async () => {
    await ssh?.close();
    await lab?.stop();
    await emulator?.cleanup();
    if (baseDir) await rm(baseDir, { recursive: true, force: true });
  });

  const context = (check: boolean): ModuleContext => ({
    connection: ssh,
    host: { name: 'lab-1', vars: {} },
    check,
    diff: true,
    baseDir,
    renderTemplate: (source) => source,
    run: (argv, options) => ssh.run(argv, options),
  });

  it('changes the settings through a partial file on the host, backs up on the controller, then converges', async () => {
    const params: SumBiosParams = {
      sum_path: await emulator.hostWrapper(),
      settings: { 'Advanced|CPU Configuration|Hyper-Threading [ALL]': 'Enable', 'Advanced|CPU Configuration|Core Enabled': 8 },
      backup_dir: 'backups',
    };
    const checkCtx = context(true);
    const checked = sumBios.plan(params, await sumBios.gather(checkCtx, params));
    expect(checked.changes.length).toBeGreaterThan(0);
    expect((await emulator.read()).lastChange).toBeUndefined();

    const ctx = context(false);
    const plan = sumBios.plan(params, await sumBios.gather(ctx, params));
    const result = await sumBios.apply!(ctx, plan, params);
    expect(result).toMatchObject({ changed: true, reboot_required: true, backup_file: expect.stringMatching(/backups\/lab-1-bios-.*\.xml$/) });
    expect((await emulator.read()).log?.every((entry) => !entry.oob)).toBe(true);

    const again = sumBios.plan(params, await sumBios.gather(ctx, params));
    expect(again.changes).toEqual([]);
    // The work folder of the partial file is not left behind on the host.
    const removal = plan.changes.find((change) => change.kind === 'command' && change.argv[0] === 'rm');
    const workDir = removal?.kind === 'command' ? removal.argv[2] : undefined;
    expect(workDir).toMatch(/^\/tmp\/rackplay-sum\./);
    expect((await ssh.run(['test', '-e', workDir ?? ''])).exitCode).toBe(1);
  });
});
