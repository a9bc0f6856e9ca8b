import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { lxcUnsupportedReason, startLxcLab } from '../lab/lxc-lab.js';
import type { LxcLab } from '../lab/lxc-lab.js';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';
import { lxcTask, runTasks } from './tasks.js';

const unsupported = lxcUnsupportedReason();
if (unsupported !== undefined) console.warn(`SKIPPED test/lxc/lxc-ssh.test.ts: real LXC cannot run here: ${unsupported}`);

// LXC needs root on the target: the lab's sshd lets root log in with the lab key (no become needed).
describe.skipIf(unsupported !== undefined)('lxc_container over SSH (root login on the loopback sshd lab)', () => {
  let lab: LxcLab;
  let ssh: SshLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let inventory: string;

  beforeAll(async () => {
    lab = await startLxcLab();
    ssh = await startSshLab({ loginAsRoot: true });
    dir = await tempDir();
    inventory = (await writeFiles(dir.path, { 'hosts.yml': ssh.inventoryFor(1) }))['hosts.yml']!;
  });
  afterAll(async () => {
    await lab?.stop();
    await ssh?.stop();
    await dir?.cleanup();
  });

  it('creates, configures, starts and runs a command; the second run is ok; a rejected key restores the config; absent', async () => {
    const web = lab.name('ssh');
    const run = (params: Record<string, unknown>) => runTasks(dir.path, [lxcTask({ name: web, lxc_path: lab.lxcPath, ...params })], { inventory, host: 'lab-1' });
    const params = { template: 'busybox', config: { 'lxc.net.0.type': 'empty', 'lxc.tty.max': 1 }, container_command: 'touch /root/over-ssh', creates: '/root/over-ssh' };
    const first = await run(params);
    expect(first.code, first.output).toBe(0);
    expect(first.stats).toMatchObject({ changed: 1, failed: 0 });
    expect(first.results[0]?.result).toMatchObject({ state: 'running', pid: expect.any(Number), config: { 'lxc.tty.max': '1' } });
    expect(lab.state(web)).toBe('RUNNING');

    const second = await run(params);
    expect(second.stats, second.output).toMatchObject({ changed: 0, failed: 0 });

    const before = readFileSync(lab.configPath(web), 'utf8');
    const rejected = await run({ config: { 'lxc.nonsense': 'x' } });
    expect(rejected.stats.failed).toBe(1);
    expect(String(rejected.results[0]?.result.msg)).toContain('Unsupported config key "lxc.nonsense"');
    expect(readFileSync(lab.configPath(web), 'utf8')).toBe(before);

    const gone = await run({ state: 'absent' });
    expect(gone.stats.changed).toBe(1);
    expect(lab.state(web)).toBe('ABSENT');
  });
});
