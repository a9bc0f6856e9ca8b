import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { MULTI_TASK_PLAYBOOK, SITE_TEMPLATE } from './site.js';

describe('playbooks over SSH against the loopback sshd lab', () => {
  let lab: SshLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let files: Record<string, string>;
  const root = `/tmp/rackplay-ssh-play-${process.pid}`;

  beforeAll(async () => {
    lab = await startSshLab();
    dir = await tempDir();
    files = await writeFiles(dir.path, { 'site.yml': MULTI_TASK_PLAYBOOK, 'site.conf.hbs': SITE_TEMPLATE, 'hosts.yml': lab.inventoryFor(12) });
  });
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('converges 12 hosts (beyond MaxSessions), then the second run reports changed=0', async () => {
    const args = ['run', files['site.yml']!, '-i', files['hosts.yml']!, '-e', `root=${root}`, '--output', 'plain', '-f', '12'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (let i = 1; i <= 12; i++) expect(recapOf(first.stdout, `lab-${i}`)).toMatchObject({ changed: 5, failed: 0, unreachable: 0 });
    const second = await rackplay(...args);
    expect(second.code).toBe(0);
    // ok counts the Gathering Facts step, as in Ansible.
    for (let i = 1; i <= 12; i++) expect(recapOf(second.stdout, `lab-${i}`)).toMatchObject({ changed: 0, failed: 0, ok: 7 });
  });

  it('--check --diff over SSH changes nothing and shows the diff', async () => {
    const path = join(root, 'lab-1', 'etc', 'app.conf');
    const before = await rackplay('run', files['site.yml']!, '-i', files['hosts.yml']!, '-e', `root=${root}`, '-e', 'port=9090', '--check', '--diff', '--output', 'plain', '-l', 'lab-1');
    expect(before.code, before.stdout + before.stderr).toBe(0);
    expect(before.stdout).toContain('-port=8080');
    expect(before.stdout).toContain('+port=9090');
    const { readFile } = await import('node:fs/promises');
    await expect(readFile(path, 'utf8')).resolves.toBe('host=lab-1\nport=8080\n');
  });

  it('the hello playbook runs over SSH too', async () => {
    const hello = join(import.meta.dirname, '..', '..', 'playbooks', 'hello.yml');
    const inventory = (await writeFiles(dir.path, { 'one.yml': lab.inventoryFor(1).replace('lab-1:', 'localhost:') }))['one.yml']!;
    const args = ['run', hello, '-i', inventory, '-e', `base_dir=${root}/hello`, '--output', 'plain'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = await rackplay(...args);
    expect(recapOf(second.stdout, 'localhost')).toMatchObject({ changed: 0, failed: 0 });
  });
});
