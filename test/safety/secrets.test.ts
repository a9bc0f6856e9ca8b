import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local.js';
import { openSsh, type SshConnection } from '../../src/connection/ssh/index.js';
import type { Connection, RunOptions } from '../../src/connection/types.js';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';
import { isRoot } from '../lab/test-user.js';

const sudoPath = ['/usr/bin/sudo', '/bin/sudo'].find((path) => existsSync(path));
const missing = sudoPath === undefined ? 'sudo is not installed (.ci/run installs it)' : !isRoot() ? 'needs root for sudoers rules and the SSH lab' : undefined;
if (missing !== undefined) console.warn(`SKIPPED: become-password and argv secret tests: ${missing}`);
const itRoot = missing === undefined ? it : it.skip;
const why = missing === undefined ? '' : ` (SKIPPED: ${missing})`;

/** Every /proc/PID/cmdline on this machine that contains `needle` (the SSH lab's processes are local). */
function commandLinesHolding(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const line = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
      if (line.includes(needle)) found.push(`${pid}: ${line}`);
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

/** Runs `command` and, while it runs, samples every process's argv for any of the secrets. */
async function runWatchingArgv(connection: Connection, command: { script: string }, options: RunOptions, secrets: readonly string[]) {
  const leaks = new Set<string>();
  let running = true;
  const watcher = (async () => {
    while (running) {
      for (const secret of secrets) for (const line of commandLinesHolding(secret)) leaks.add(line);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const result = await connection.run(command, options);
  running = false;
  await watcher;
  return { result, leaks: [...leaks].filter((line) => !line.includes('vitest')) };
}

/** A sudoers drop-in of this file, removed in afterAll; no dot in the name or sudo ignores it. */
const SUDOERS = `/etc/sudoers.d/rackplay-test-secrets-${process.pid}`;
function sudoRule(text: string): void {
  writeFileSync(SUDOERS, `${text}\n`, { mode: 0o440 });
  execFileSync('visudo', ['-c', '-f', SUDOERS], { stdio: 'pipe' });
}

describe('the become password is read by sudo only, never by the command', () => {
  let lab: SshLab | undefined;
  let ssh: SshConnection | undefined;
  let rootLab: SshLab | undefined;
  let rootSsh: SshConnection | undefined;
  beforeAll(async () => {
    if (missing !== undefined) return;
    lab = await startSshLab({ passwordAuth: true });
    ssh = await openSsh(labTarget(lab), 'lab');
    rootLab = await startSshLab({ loginAsRoot: true });
    rootSsh = await openSsh(labTarget(rootLab), 'root-lab');
  });
  afterAll(async () => {
    rmSync(SUDOERS, { force: true });
    await ssh?.close();
    await rootSsh?.close();
    await lab?.stop();
    await rootLab?.stop();
  });

  itRoot(`NOPASSWD: sudo does not ask, and stdin reaches the command unchanged (cat, put)${why}`, async () => {
    sudoRule(`${lab!.user} ALL=(ALL) NOPASSWD: ALL`);
    const become = { password: lab!.password! };
    const echoed = await ssh!.run({ script: 'id -un; cat' }, { become, stdin: 'only this\n' });
    expect(echoed).toMatchObject({ stdout: 'root\nonly this\n', exitCode: 0 });
    const path = `/tmp/rackplay-secrets-put-${process.pid}`;
    await ssh!.put('file content\n', path, { mode: '0600', become });
    expect(readFileSync(path, 'utf8')).toBe('file content\n');
    rmSync(path, { force: true });
    // Without stdin the command reads nothing at all.
    expect((await ssh!.run({ script: 'cat' }, { become })).stdout).toBe('');
  });

  itRoot(`PASSWD: sudo asks and gets it; a second become task (a cached ticket or not) sees only its stdin${why}`, async () => {
    sudoRule(`${lab!.user} ALL=(ALL) PASSWD: ALL`);
    const become = { password: lab!.password! };
    for (const round of [1, 2, 3]) {
      const result = await ssh!.run({ script: 'id -un; cat' }, { become, stdin: `round ${round}` });
      expect(result).toMatchObject({ stdout: `root\nround ${round}`, exitCode: 0 });
      expect(result.stderr).not.toContain(lab!.password!);
    }
    await ssh!.run(['sudo', '-K']); // remove the ticket the rounds above cached (-k alone keeps it here), so sudo asks again
    const wrong = await ssh!.run({ script: 'cat' }, { become: { password: 'not-the-password' }, stdin: 'x' });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stdout).toBe('');
  });

  itRoot(`logged in as root: sudo never asks, and the password is not the command's input${why}`, async () => {
    const result = await rootSsh!.run({ script: 'cat' }, { become: { password: 'root-needs-none' }, stdin: 'data' });
    expect(result).toMatchObject({ stdout: 'data', exitCode: 0 });
    const local = await new LocalConnection().run({ script: 'cat' }, { become: { password: 'root-needs-none' }, stdin: 'local data' });
    expect(local).toMatchObject({ stdout: 'local data', exitCode: 0 });
  });

  itRoot(`neither the become password nor environment values appear in any process's argv${why}`, async () => {
    sudoRule(`${lab!.user} ALL=(ALL) PASSWD: ALL`);
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const options = { become: { password: lab!.password! }, env: { RP_TOKEN: token } };
    const watched = await runWatchingArgv(ssh!, { script: 'printf %s "$RP_TOKEN"; sleep 1' }, options, [token, lab!.password!]);
    expect(watched.result).toMatchObject({ stdout: token, exitCode: 0 });
    expect(watched.leaks).toEqual([]);
    const local = await runWatchingArgv(new LocalConnection(), { script: 'printf %s "$RP_TOKEN"; sleep 1' }, { env: { RP_TOKEN: token } }, [token]);
    expect(local.result.stdout).toBe(token);
    expect(local.leaks).toEqual([]);
  });
});

describe('environment values reach the command byte for byte', () => {
  const awkward = "a 'quoted' \"double\" $(touch /tmp/never) `x` \\back\nsecond line\ttab %s %%";
  it('over the local connection', async () => {
    const result = await new LocalConnection().run({ script: 'printf %s "$AWKWARD"' }, { env: { AWKWARD: awkward, EMPTY: '' } });
    expect(result.stdout).toBe(awkward);
    expect(existsSync('/tmp/never')).toBe(false);
  });

  it('refuses a name that is not a variable name', async () => {
    await expect(new LocalConnection().run({ script: 'true' }, { env: { '-S': 'x' } })).rejects.toThrow(/not a valid name/);
  });
});

describe('connection passwords are masked like any x-secret, however short', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (dir = await tempDir()));
  afterAll(async () => dir.cleanup());

  it('a 3-character become password and an SSH password never show in output', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - command: echo "become={{ansible_become_password}} ssh={{ansible_password}}"
`,
    });
    for (const output of ['plain', 'json']) {
      const run = await rackplay('run', files['site.yml']!, '--output', output, '-v', '-e', 'ansible_become_password=abc', '-e', 'ansible_password=Ssh-Pa55');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('become=********');
      expect(run.stdout).not.toMatch(/abc|Ssh-Pa55/);
    }
  });
});
