import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { descendantPids } from '../lab/processes.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';

/**
 * rackplay_ssh_persist: connections held by the connection keeper between runs (src/connection/keeper/),
 * against a real sshd. The proof that a second run made no new connection: it still works after the sshd
 * listener is gone (established sessions outlive it), which a run without the keeper cannot.
 */
const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - file: { path: "{{dir}}/{{inventory_hostname}}", state: directory, mode: "0755" }
    - copy: { content: "kept\\n", dest: "{{dir}}/{{inventory_hostname}}/kept.txt" }
`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('connections that outlive a run (rackplay_ssh_persist)', () => {
  let lab: SshLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let keeperDir: string;
  let sessions: number[] = [];
  const previous = process.env.RACKPLAY_KEEPER_DIR;

  beforeEach(async () => {
    lab = await startSshLab();
    dir = await tempDir('rackplay-keeper-');
    // The test user (sshd's login) writes the targets under out/; the keeper's folder is apart, private.
    await chmod(dir.path, 0o755);
    await mkdir(join(dir.path, 'out'));
    await chmod(join(dir.path, 'out'), 0o777);
    keeperDir = mkdtempSync(join(tmpdir(), 'rackplay-keeper-dir-'));
    process.env.RACKPLAY_KEEPER_DIR = keeperDir;
    sessions = [];
  });
  afterEach(async () => {
    const pidFile = join(keeperDir, 'keeper.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
    if (pid !== undefined && alive(pid)) {
      process.kill(pid, 'SIGTERM');
      // SIGTERM closes what it keeps and ends it; should it not, it is killed, and the test fails.
      const ended = await until(() => !alive(pid), 5_000);
      if (!ended) process.kill(pid, 'SIGKILL');
      expect(ended, 'the keeper ends on SIGTERM').toBe(true);
    }
    // Sessions that outlived a stopped listener: by the PIDs recorded while they were its children.
    for (const session of sessions) if (alive(session)) process.kill(session, 'SIGKILL');
    await lab.stop();
    await dir.cleanup();
    rmSync(keeperDir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.RACKPLAY_KEEPER_DIR;
    else process.env.RACKPLAY_KEEPER_DIR = previous;
  });

  async function files(persist: string | undefined): Promise<{ site: string; hosts: string }> {
    const inventory = lab.inventoryFor(2) + (persist === undefined ? '' : `    rackplay_ssh_persist: ${persist}\n`);
    const written = await writeFiles(dir.path, { 'site.yml': PLAY, 'hosts.yml': inventory });
    return { site: written['site.yml']!, hosts: written['hosts.yml']! };
  }

  it('a second run reuses the kept connections: it converges with the sshd listener gone', async () => {
    const { site, hosts } = await files('30');
    const args = ['run', site, '-i', hosts, '-e', `dir=${dir.path}/out`, '--output', 'plain'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'lab-1')).toMatchObject({ changed: 2, unreachable: 0 });

    // The keeper's folder and socket are the user's alone; it records its PID.
    expect(lstatSync(keeperDir).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(keeperDir, 'keeper.sock')).mode & 0o777).toBe(0o600);
    const keeper = Number(readFileSync(join(keeperDir, 'keeper.pid'), 'utf8'));
    expect(alive(keeper)).toBe(true);

    sessions = descendantPids(lab.pid);
    expect(sessions.length).toBeGreaterThan(0);
    process.kill(lab.pid, 'SIGTERM');
    expect(await until(() => !alive(lab.pid), 5_000)).toBe(true);

    const second = await rackplay(...args);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(recapOf(second.stdout, 'lab-1')).toMatchObject({ ok: 2, changed: 0, unreachable: 0 });
    expect(recapOf(second.stdout, 'lab-2')).toMatchObject({ ok: 2, changed: 0, unreachable: 0 });
    expect(readFileSync(join(dir.path, 'out', 'lab-2', 'kept.txt'), 'utf8')).toBe('kept\n');
  }, 60_000);

  it('without it, a run leaves no keeper; with the listener gone the hosts are unreachable', async () => {
    const { site, hosts } = await files(undefined);
    const args = ['run', site, '-i', hosts, '-e', `dir=${dir.path}/out`, '--output', 'plain'];
    expect((await rackplay(...args)).code).toBe(0);
    expect(existsSync(join(keeperDir, 'keeper.sock'))).toBe(false);
    process.kill(lab.pid, 'SIGTERM');
    expect(await until(() => !alive(lab.pid), 5_000)).toBe(true);
    const second = await rackplay(...args);
    expect(second.code).toBe(3);
    expect(recapOf(second.stdout, 'lab-1')).toMatchObject({ unreachable: 1 });
  }, 60_000);

  it('closes kept connections after their idle time, then the keeper exits by itself', async () => {
    const { site, hosts } = await files('1');
    const result = await rackplay('run', site, '-i', hosts, '-e', `dir=${dir.path}/out`, '--output', 'plain');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const keeper = Number(readFileSync(join(keeperDir, 'keeper.pid'), 'utf8'));
    expect(await until(() => !alive(keeper), 10_000)).toBe(true);
    expect(existsSync(join(keeperDir, 'keeper.pid'))).toBe(false);
  }, 60_000);

  it('refuses a keeper folder others can enter, and connects directly instead', async () => {
    const open = join(keeperDir, 'open');
    await mkdir(open, { mode: 0o755 });
    await chmod(open, 0o755);
    process.env.RACKPLAY_KEEPER_DIR = open;
    const { site, hosts } = await files('30');
    const result = await rackplay('run', site, '-i', hosts, '-e', `dir=${dir.path}/out`, '--output', 'plain');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(recapOf(result.stdout, 'lab-1')).toMatchObject({ changed: 2, unreachable: 0 });
    expect(existsSync(join(open, 'keeper.sock'))).toBe(false);
  }, 60_000);
});
