import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';
import { tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { pathWithoutIp, runJson } from './helpers.js';

const HOSTS = 3;
const hosts = Array.from({ length: HOSTS }, (_, index) => `lab-${index + 1}`);

describe('gathered facts over SSH (loopback sshd lab, /bin/sh test user)', () => {
  let lab: SshLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let noIp: Awaited<ReturnType<typeof pathWithoutIp>>;
  let files: Record<string, string>;
  const root = `/tmp/rackplay-facts-ssh-${process.pid}`;

  beforeAll(async () => {
    lab = await startSshLab();
    // Written to by the lab's test user.
    await mkdir(root, { recursive: true });
    await chmod(root, 0o777);
    dir = await tempDir();
    noIp = await pathWithoutIp();
    const play = (header: string) => `- hosts: all
${header}  tasks:
    - name: record
      copy:
        dest: "${root}/{{inventory_hostname}}.txt"
        content: "{{ansible_hostname}} {{ansible_distribution}} {{ansible_distribution_version}} {{ansible_architecture}} {{json ansible_default_ipv4}} {{join play_hosts ','}}\\n"
      when: "eq ansible_os_family facts.os.family"
`;
    files = await writeFiles(dir.path, {
      'hosts.yml': lab.inventoryFor(HOSTS),
      'on.yml': play(''),
      'off.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n      changed_when: false\n`,
      'default.yml': `- hosts: all\n  tasks:\n    - command: "true"\n      changed_when: false\n`,
      'local.yml': `- hosts: localhost\n  tasks: []\n`,
      'noip.yml': play(`  environment: { PATH: "${noIp.path}" }\n`),
    });
  });
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
    await noIp?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('one command per host; the facts are those of the machine, as the local connection sees them', async () => {
    const local = await runJson(files['local.yml']!);
    expect(local.code, local.stdout + local.stderr).toBe(0);
    const on = await runJson(files['on.yml']!, '-i', files['hosts.yml']!);
    expect(on.code, on.stdout + on.stderr).toBe(0);
    const again = await runJson(files['on.yml']!, '-i', files['hosts.yml']!);
    expect(again.recap.stats['lab-1']).toMatchObject({ ok: 2, changed: 0 });
    const onlyTasks = await runJson(files['on.yml']!, '-i', files['hosts.yml']!, '--skip-tags', 'always');
    // Facts skipped: the when that reads them fails at run time (strict templates), before any command runs.
    expect(onlyTasks.code).toBe(2);
    expect(onlyTasks.results('Gathering Facts')).toEqual([]);
    expect(onlyTasks.recap.commandCount).toBe(0);
    expect(String(onlyTasks.results('record')[0]!.result.msg)).toMatch(/ansible_os_family|facts/);
    expect(again.results('Gathering Facts').map((entry) => entry.status)).toEqual(hosts.map(() => 'ok'));

    const { interfaces: _local, ...expected } = local.facts.localhost!;
    for (const host of hosts) {
      const { interfaces, ...facts } = on.facts[host]!;
      expect(facts).toEqual(expected);
      expect((interfaces as { name: string }[]).map((entry) => entry.name)).toContain('lo');
      const os = facts.os as { distribution: string; version_id: string };
      expect(await readFile(`${root}/${host}.txt`, 'utf8')).toBe(
        `${String(facts.hostname)} ${os.distribution} ${os.version_id} ${String(facts.arch)} ${JSON.stringify(facts.default_ipv4)} ${hosts.join(',')}\n`,
      );
    }
  });

  it('counts commands exactly: gather on vs off, and a fresh --fact-cache saves every fact command', async () => {
    const cache = `${dir.path}/cache`;
    const withCache = (...extra: string[]) => runJson(files['on.yml']!, '-i', files['hosts.yml']!, '--fact-cache', cache, ...extra);
    // The same one-command task: gather_facts false, then left to its default (true).
    const off = await runJson(files['off.yml']!, '-i', files['hosts.yml']!);
    const byDefault = await runJson(files['default.yml']!, '-i', files['hosts.yml']!);
    expect(off.recap.commandCount).toBe(HOSTS);
    expect(byDefault.recap.commandCount).toBe(2 * HOSTS);
    const miss = await withCache();
    const hit = await withCache();
    expect(miss.code, miss.stdout + miss.stderr).toBe(0);
    expect(miss.recap.commandCount - hit.recap.commandCount).toBe(HOSTS);
    expect(hit.results('Gathering Facts').every((entry) => String(entry.result.msg).startsWith('facts from '))).toBe(true);
    expect(hit.facts).toEqual(miss.facts);
    const expired = await withCache('--fact-cache-ttl', '0');
    expect(expired.recap.commandCount).toBe(miss.recap.commandCount);
  });

  it('a target without ip: interfaces from /sys/class/net, default_ipv4 empty, tasks still run', async () => {
    const run = await runJson(files['noip.yml']!, '-i', files['hosts.yml']!);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const host of hosts) {
      const facts = run.facts[host] as { interfaces_source: string; default_ipv4: object; interfaces: { name: string; ipv4: unknown[] }[] };
      expect(facts.interfaces_source).toBe('sysfs');
      expect(facts.default_ipv4).toEqual({});
      expect(facts.interfaces.find((entry) => entry.name === 'lo')).toMatchObject({ ipv4: [] });
    }
    expect(await readFile(`${root}/lab-1.txt`, 'utf8')).toContain(' {} ');
  });
});
