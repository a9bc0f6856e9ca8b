import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh, type SshConnection } from '../../src/connection/ssh/index.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';
import { isRoot } from '../lab/test-user.js';

const sudoPath = ['/usr/bin/sudo', '/bin/sudo'].find((p) => existsSync(p));
const missing = sudoPath === undefined ? 'sudo is not installed (add it to .ci/run)' : !isRoot() ? 'needs root to write a sudoers rule' : undefined;
if (missing !== undefined) console.warn(`SKIPPED: SSH become tests: ${missing}`);
const itBecome = missing === undefined ? it : it.skip;
const why = missing === undefined ? '' : ` (SKIPPED: ${missing})`;

/** The sudoers drop-in of this test file; removed in afterAll. Its name has no dot, or sudo would ignore it. */
const SUDOERS = `/etc/sudoers.d/rackplay-test-become-${process.pid}`;

describe('become through sudo over SSH', () => {
  let lab: SshLab | undefined;
  let ssh: SshConnection | undefined;

  beforeAll(async () => {
    if (missing !== undefined) return;
    lab = await startSshLab({ passwordAuth: true }); // gives the user a password that sudo -S can check
    ssh = await openSsh(labTarget(lab), 'lab');
  });
  afterAll(async () => {
    rmSync(SUDOERS, { force: true });
    await ssh?.close();
    await lab?.stop();
  });

  const rule = (text: string): void => {
    writeFileSync(SUDOERS, `${text}\n`, { mode: 0o440 });
    execFileSync('visudo', ['-c', '-f', SUDOERS], { stdio: 'pipe' });
  };

  itBecome(`runs as root with sudo -n under a NOPASSWD rule, keeping stdin and exit codes${why}`, async () => {
    rule(`${lab!.user} ALL=(ALL) NOPASSWD: ALL`);
    const result = await ssh!.run({ script: 'id -un; cat; exit 7' }, { become: {}, stdin: 'piped' });
    expect(result).toMatchObject({ stdout: 'root\npiped', exitCode: 7 });
    await ssh!.put('owned by root\n', '/tmp/rackplay-become-put', { mode: '0600', owner: 'root', become: {} });
    expect((await ssh!.get('/tmp/rackplay-become-put', { become: {} })).toString()).toBe('owned by root\n');
    await ssh!.run(['rm', '-f', '/tmp/rackplay-become-put'], { become: {} });
  });

  itBecome(`sends the become password over stdin, never on the command line${why}`, async () => {
    rule(`${lab!.user} ALL=(ALL) PASSWD: ALL`);
    const denied = await ssh!.run(['id', '-un'], { become: {} });
    expect(denied.exitCode).not.toBe(0); // sudo -n refuses when a password is required
    const result = await ssh!.run({ script: 'id -un; cat' }, { become: { password: lab!.password }, stdin: 'after password' });
    expect(result).toMatchObject({ stdout: 'root\nafter password', exitCode: 0 });
    expect(result.stderr).toBe('');
  });
});
