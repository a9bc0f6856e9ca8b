import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../lab/free-port.js';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';

/** Inventory entries for hosts behind different labs, with per-host overrides. */
function inventory(entries: Record<string, { lab: SshLab; vars?: Record<string, unknown> }>): string {
  const lines = ['all:', '  hosts:'];
  for (const [name, { lab, vars }] of Object.entries(entries)) {
    const all = {
      ansible_host: '127.0.0.1',
      ansible_port: lab.port,
      ansible_user: lab.user,
      ansible_ssh_private_key_file: lab.privateKeyPath,
      rackplay_known_hosts_file: lab.knownHostsFile,
      ...vars,
    };
    lines.push(`    ${name}:`, ...Object.entries(all).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`));
  }
  return `${lines.join('\n')}\n`;
}

const TOUCH_PLAYBOOK = `
- hosts: all
  tasks:
    - file: { path: "{{root}}/{{inventory_hostname}}", state: touch }
    - command: "true"
      changed_when: false
`;

describe('SSH faults: the failing host is UNREACHABLE, the others finish, recap and exit code are right', () => {
  let good: SshLab;
  let other: SshLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const root = `/tmp/rackplay-ssh-faults-${process.pid}`;

  beforeAll(async () => {
    [good, other] = await Promise.all([startSshLab(), startSshLab()]);
    // Shared by the test user (over SSH) and root (local tasks), like /tmp itself.
    await mkdir(root, { recursive: true });
    await chmod(root, 0o1777);
  });
  afterAll(async () => {
    await Promise.all([good?.stop(), other?.stop()]);
    await rm(root, { recursive: true, force: true });
  });
  afterEach(async () => dir?.cleanup());

  async function run(hosts: string, playbook = TOUCH_PLAYBOOK, extra: string[] = []) {
    dir = await tempDir();
    const files = await writeFiles(dir.path, { 'site.yml': playbook, 'hosts.yml': hosts });
    return rackplay('run', files['site.yml']!, '-i', files['hosts.yml']!, '-e', `root=${root}`, '--output', 'plain', ...extra);
  }

  it('a wrong host key fails that host, naming known_hosts file:line', async () => {
    dir = await tempDir();
    // The other lab's host key, recorded for this lab's address: a changed key.
    const wrongKnownHosts = join(dir.path, 'known_hosts');
    await writeFile(wrongKnownHosts, `[127.0.0.1]:${good.port} ${other.hostKeyPublic}\n`);
    const result = await run(inventory({ ok: { lab: good }, changed_key: { lab: good, vars: { rackplay_known_hosts_file: wrongKnownHosts } } }));
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(recapOf(result.stdout, 'ok')).toMatchObject({ unreachable: 0, failed: 0, changed: 1 });
    expect(recapOf(result.stdout, 'changed_key')).toMatchObject({ unreachable: 1, ok: 0 });
    expect(result.stdout).toContain(`${wrongKnownHosts}:1`);
    expect(existsSync(join(root, 'changed_key'))).toBe(false);
  });

  it('an authentication failure makes the host unreachable', async () => {
    const key = other.addUserKey('ed25519');
    const result = await run(inventory({ ok: { lab: good }, bad_auth: { lab: good, vars: { ansible_ssh_private_key_file: key } } }));
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(recapOf(result.stdout, 'bad_auth')).toMatchObject({ unreachable: 1 });
    expect(recapOf(result.stdout, 'ok')).toMatchObject({ unreachable: 0, changed: 1 });
  });

  it('a host that does not exist (nothing listens) is unreachable, quickly', async () => {
    const closedPort = await freeLoopbackPort();
    const started = performance.now();
    const result = await run(inventory({ ok: { lab: good }, ghost: { lab: good, vars: { ansible_port: closedPort } } }));
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(recapOf(result.stdout, 'ghost')).toMatchObject({ unreachable: 1, ok: 0 });
    // ok counts the Gathering Facts step, as in Ansible.
    expect(recapOf(result.stdout, 'ok')).toMatchObject({ ok: 3, unreachable: 0 });
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('sshd stopped mid-play: that host is unreachable from then on, the others finish', async () => {
    const victim = await startSshLab();
    try {
      dir = await tempDir();
      const step = join(dir.path, 'step');
      const playbook = `
- hosts: all
  tasks:
    - file: { path: "{{root}}/{{inventory_hostname}}-1", state: touch }
    - name: tell the test that the first task is done, then wait until it has crashed one host
      shell: "touch ${step}.reached; while [ ! -e ${step}.crashed ]; do sleep 0.05; done"
      delegate_to: localhost
      run_once: true
      changed_when: false
    - file: { path: "{{root}}/{{inventory_hostname}}-2", state: touch }
    - file: { path: "{{root}}/{{inventory_hostname}}-3", state: touch }
`;
      const hosts = inventory({ survivor: { lab: good }, victim: { lab: victim }, localhost: { lab: good, vars: { ansible_connection: 'local' } } });
      const crasher = (async () => {
        while (!existsSync(`${step}.reached`)) await new Promise((resolve) => setTimeout(resolve, 20));
        victim.crash();
        await writeFile(`${step}.crashed`, '');
      })();
      const result = await run(hosts, playbook, ['-l', 'survivor:victim']);
      await crasher;
      expect(result.code, result.stdout).toBe(3);
      expect(recapOf(result.stdout, 'survivor')).toMatchObject({ changed: 3, failed: 0, unreachable: 0 });
      expect(recapOf(result.stdout, 'victim')).toMatchObject({ changed: 1, unreachable: 1 });
      expect(existsSync(join(root, 'survivor-3'))).toBe(true);
      expect(existsSync(join(root, 'victim-2'))).toBe(false);
      expect(await readFile(`${step}.reached`, 'utf8')).toBe('');
    } finally {
      await victim.stop();
    }
  });

  it('many parallel hosts on one sshd, beyond MaxSessions and MaxStartups', async () => {
    // OpenSSH's default MaxStartups: beyond 10 unauthenticated connections it starts dropping them.
    const lab = await startSshLab({ extraConfig: ['MaxStartups 10:30:100'] });
    try {
      const many = lab.inventoryFor(60);
      const result = await run(many, TOUCH_PLAYBOOK, ['-f', '60']);
      expect(result.code, result.stdout.slice(-3000)).toBe(0);
      for (let i = 1; i <= 60; i++) expect(recapOf(result.stdout, `lab-${i}`)).toMatchObject({ changed: 1, ok: 3, unreachable: 0 });
    } finally {
      await lab.stop();
    }
  });
});
