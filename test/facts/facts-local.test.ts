import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';
import { localInventory, writeFiles } from '../helpers/playbook.js';
import { pathWithoutIp, runJson } from './helpers.js';

const osRelease = Object.fromEntries(
  readFileSync('/etc/os-release', 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [match[1], match[2]!.replace(/^"(.*)"$/, '$1')]),
) as Record<string, string>;

const ONE_TASK = (header = '') => `- hosts: localhost\n${header}  tasks:\n    - command: "true"\n      changed_when: false\n`;

describe('gathered facts on localhost', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let noIp: Awaited<ReturnType<typeof pathWithoutIp>>;
  beforeAll(async () => {
    dir = await tempDir();
    noIp = await pathWithoutIp();
  });
  afterAll(async () => {
    await dir?.cleanup();
    await noIp?.cleanup();
  });

  it('gathers by default, in one command, with the values this machine reports', async () => {
    const files = await writeFiles(dir.path, { 'on.yml': ONE_TASK(), 'off.yml': ONE_TASK('  gather_facts: false\n') });
    const on = await runJson(files['on.yml']!);
    expect(on.code, on.stdout + on.stderr).toBe(0);
    const off = await runJson(files['off.yml']!);
    expect(off.code).toBe(0);
    expect(off.recap.commandCount).toBe(1);
    expect(on.recap.commandCount).toBe(2);
    expect(off.results('Gathering Facts')).toEqual([]);
    expect(on.recap.stats.localhost).toMatchObject({ ok: 2, changed: 0, failed: 0 });
    const facts = on.facts.localhost!;
    expect(facts).toMatchObject({
      hostname: hostname().split('.')[0],
      kernel: release(),
      arch: process.arch === 'x64' ? 'x86_64' : facts.arch,
      cpu_count: cpus().length,
      mem_mb: Math.floor(totalmem() / 1024 / 1024),
      os: { id: osRelease.ID, version_id: osRelease.VERSION_ID ?? '' },
      interfaces_source: 'ip-json',
    });
    expect((facts.interfaces as { name: string }[]).map((entry) => entry.name)).toContain('lo');
  });

  it('exposes facts.* and the Ansible names, below play vars and above inventory host vars, usable in when', async () => {
    const files = await writeFiles(dir.path, {
      'vars.yml': `- hosts: web
  vars:
    ansible_architecture: from-play-vars
  tasks:
    - name: show
      debug:
        msg: "{{facts.hostname}}|{{ansible_hostname}}|{{ansible_os_family}}|{{ansible_distribution}}|{{ansible_distribution_version}}|{{ansible_default_ipv4.interface}}|{{ansible_architecture}}|{{facts.os.family}}"
    - name: same os
      debug: { msg: same }
      when: "eq facts.os.id os_id"
    - name: other os
      debug: { msg: other }
      when: "ne ansible_distribution_version os_version"
`,
      'hosts.ini': localInventory({ web: ['alpha'] }, { alpha: { ansible_hostname: 'from-inventory' } }),
    });
    const run = await runJson(files['vars.yml']!, '-i', files['hosts.ini']!, '-e', `os_id=${osRelease.ID}`, '-e', `os_version=${osRelease.VERSION_ID ?? ''}`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const facts = run.facts.alpha as { hostname: string; os: { family: string; distribution: string; version_id: string }; default_ipv4: { interface: string } };
    const msg = run.results('show')[0]!.result.msg;
    expect(msg).toBe(
      [facts.hostname, facts.hostname, facts.os.family, facts.os.distribution, facts.os.version_id, facts.default_ipv4.interface, 'from-play-vars', facts.os.family].join('|'),
    );
    expect(facts.os.family).toBe(osRelease.ID === 'debian' ? 'Debian' : facts.os.family);
    expect(run.results('same os')[0]!.status).toBe('ok');
    expect(run.results('other os')[0]!.status).toBe('skipped');
  });

  it('renders the magic variables in a template', async () => {
    const files = await writeFiles(dir.path, {
      'magic.yml': `- hosts: web:db
  tasks:
    - template: { src: magic.hbs, dest: "${dir.path}/magic-{{inventory_hostname}}.txt" }
`,
      'magic.hbs':
        'host={{inventory_hostname}} short={{inventory_hostname_short}} groups={{join group_names ","}}\nweb={{join groups.web ","}} all={{join groups.all ","}}\nplay={{join play_hosts ","}} active={{join ansible_play_hosts ","}}\nother={{hostvars.[db1.example.com].facts.hostname}} {{hostvars.[db1.example.com].ansible_os_family}} role={{hostvars.[db1.example.com].role}}\n',
      'hosts.ini': localInventory({ web: ['web1.example.com', 'web2'], db: ['db1.example.com'] }, { 'db1.example.com': { role: 'primary' } }),
    });
    const run = await runJson(files['magic.yml']!, '-i', files['hosts.ini']!);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const facts = run.facts['db1.example.com'] as { hostname: string; os: { family: string } };
    const content = await readFile(join(dir.path, 'magic-web1.example.com.txt'), 'utf8');
    expect(content).toBe(
      `host=web1.example.com short=web1 groups=web\nweb=web1.example.com,web2 all=web1.example.com,web2,db1.example.com\nplay=web1.example.com,web2,db1.example.com active=web1.example.com,web2,db1.example.com\nother=${facts.hostname} ${facts.os.family} role=primary\n`,
    );
    expect(await readFile(join(dir.path, 'magic-db1.example.com.txt'), 'utf8')).toContain('host=db1.example.com short=db1 groups=db\n');
  });

  it('works on a host without ip: interfaces from /sys/class/net, marked, and no default_ipv4', async () => {
    const files = await writeFiles(dir.path, {
      'noip.yml': `- hosts: localhost
  environment: { PATH: "${noIp.path}" }
  tasks:
    - name: list
      debug: { msg: "{{#each facts.interfaces}}{{name}} {{/each}}|{{facts.interfaces_source}}|{{json ansible_default_ipv4}}" }
    - name: no ip here
      command: sh -c "command -v ip || echo none"
      changed_when: false
      register: which
`,
    });
    const run = await runJson(files['noip.yml']!);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const facts = run.facts.localhost as { interfaces_source: string; default_ipv4: object; interfaces: { name: string; mac: string; ipv4: unknown[] }[]; hostname: string };
    expect(run.results('no ip here')[0]!.result.stdout).toBe('none');
    expect(facts.interfaces_source).toBe('sysfs');
    expect(facts.default_ipv4).toEqual({});
    expect(facts.hostname).toBe(hostname().split('.')[0]);
    const lo = facts.interfaces.find((entry) => entry.name === 'lo');
    expect(lo).toEqual({ name: 'lo', mac: '00:00:00:00:00:00', ipv4: [], ipv6: [] });
    expect(run.results('list')[0]!.result.msg).toMatch(/(^| )lo .*\|sysfs\|\{\}$/);
  });

  it('--fact-cache: a miss gathers and writes, a hit costs no command, an expired entry is gathered again', async () => {
    const cacheDir = join(dir.path, 'cache');
    const files = await writeFiles(dir.path, { 'cached.yml': ONE_TASK() });
    const args = [files['cached.yml']!, '--fact-cache', cacheDir];
    const miss = await runJson(...args);
    expect(miss.code, miss.stdout + miss.stderr).toBe(0);
    expect(miss.recap.commandCount).toBe(2);
    const file = join(cacheDir, 'localhost.json');
    const entry = JSON.parse(await readFile(file, 'utf8')) as { host: string; gathered_at: number; facts: unknown };
    expect(entry.host).toBe('localhost');
    expect(entry.facts).toEqual(miss.facts.localhost);

    const hit = await runJson(...args);
    expect(hit.recap.commandCount).toBe(1);
    expect(hit.results('Gathering Facts')[0]!.result.msg).toMatch(/^facts from .*localhost\.json \(\d+ s old\)$/);
    expect(hit.facts.localhost).toEqual(miss.facts.localhost);

    // An entry gathered two hours ago: fresh for a 3-hour TTL, expired for a 1-hour one.
    const aged = { ...entry, gathered_at: Date.now() - 2 * 3600 * 1000 };
    await writeFile(file, JSON.stringify(aged));
    expect((await runJson(...args, '--fact-cache-ttl', '10800')).recap.commandCount).toBe(1);
    const expired = await runJson(...args, '--fact-cache-ttl', '3600');
    expect(expired.recap.commandCount).toBe(2);
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as { gathered_at: number };
    expect(rewritten.gathered_at).toBeGreaterThan(aged.gathered_at + 3600 * 1000);
    // A damaged entry is a miss, not an error.
    await writeFile(file, '{"host":');
    expect((await runJson(...args)).recap.commandCount).toBe(2);
  });

  it('gathers once per host per run, skips with --skip-tags always, and shows a Gathering Facts step', async () => {
    const files = await writeFiles(dir.path, { 'two.yml': ONE_TASK() + ONE_TASK() });
    const twice = await runJson(files['two.yml']!);
    expect(twice.recap.commandCount).toBe(3);
    expect(twice.results('Gathering Facts').map((entry) => entry.result.msg)).toEqual([undefined, 'facts already gathered in this run']);
    expect((await runJson(files['two.yml']!, '--skip-tags', 'always')).recap.commandCount).toBe(2);
    const plain = await rackplay('run', files['two.yml']!, '--output', 'plain');
    expect(plain.stdout).toContain('TASK [Gathering Facts]');
    expect(plain.stdout).toMatch(/ok: \[localhost\]/);
  });

  it('the static check knows facts where they are gathered, and only there', async () => {
    const files = await writeFiles(dir.path, {
      'off.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{facts.hostname}} {{ansible_os_family}}" }\n`,
      'typo.yml': `- hosts: localhost\n  tasks:\n    - debug: { msg: "{{ansible_os_famly}}" }\n`,
      'on.yml': `- hosts: localhost\n  tasks:\n    - debug: { msg: "{{facts.hostname}} {{ansible_os_family}} {{ansible_default_ipv4.address}}" }\n`,
    });
    const off = await rackplay('validate', files['off.yml']!);
    expect(off.code).toBe(4);
    expect(off.stderr).toContain("E_UNDEFINED_VARIABLE undefined variable 'facts'");
    const typo = await rackplay('validate', files['typo.yml']!);
    expect(typo.code).toBe(4);
    expect(typo.stderr).toContain('ansible_os_family');
    expect((await rackplay('validate', files['on.yml']!)).code).toBe(0);
  });

  it('gathering runs with the play\'s become; when it fails, the host fails there and runs no task', async () => {
    const files = await writeFiles(dir.path, { 'become.yml': `- hosts: localhost\n  become: true\n  become_user: rackplay-no-such-user\n  tasks:\n    - command: "true"\n` });
    const run = await runJson(files['become.yml']!);
    expect(run.code).toBe(2);
    const [gathering] = run.results('Gathering Facts');
    expect(gathering).toMatchObject({ host: 'localhost', status: 'failed' });
    expect(String(gathering!.result.msg)).toMatch(/^fact gathering failed \(exit \d+\): .*rackplay-no-such-user/);
    expect(run.recap.commandCount).toBe(1);
    expect(run.recap.stats.localhost).toMatchObject({ ok: 0, failed: 1 });
  });

  it('rejects a bad --fact-cache-ttl', async () => {
    const files = await writeFiles(dir.path, { 'one.yml': ONE_TASK() });
    expect((await rackplay('run', files['one.yml']!, '--fact-cache', dir.path, '--fact-cache-ttl', 'soon')).code).toBe(5);
    expect((await rackplay('run', files['one.yml']!, '--fact-cache-ttl', '60')).code).toBe(5);
  });
});
