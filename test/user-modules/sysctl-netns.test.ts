import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { startNetnsLab } from '../lab/netns-lab.js';
import type { NetnsHost, NetnsLab } from '../lab/netns-lab.js';
import { netnsUnsupportedReason } from '../lab/netns-support.js';
import { ensureBuilt, fixturesDir, installSysctlPackage, projectWithRackplay } from './built-package.js';

// net.* sysctls belong to a network namespace: set inside the lab's hosts, they never reach this machine's own.
const KEYS = ['net.ipv4.ip_forward', 'net.ipv4.icmp_echo_ignore_all', 'net.ipv4.icmp_echo_ignore_broadcasts'] as const;
const rootValue = (key: string): string => readFileSync(`/proc/sys/${key.replaceAll('.', '/')}`, 'utf8').trim();

const unsupported = netnsUnsupportedReason();
if (unsupported !== undefined) console.warn(`SKIPPED the sysctl user module tests over SSH in network namespaces: ${unsupported}`);
const describeNetns = unsupported === undefined ? describe : describe.skip;

const playbook = (key: string, value: string, extra = '') =>
  ['- hosts: all', '  gather_facts: false', '  tasks:', `    - sysctl: { name: ${key}, value: "${value}", sysctl_dir: "{{conf_root}}/{{inventory_hostname}}"${extra} }`, ''].join('\n');

describeNetns(`the sysctl user module over SSH in network namespaces${unsupported ? ` (SKIPPED: ${unsupported})` : ''}`, () => {
  let lab: NetnsLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let inventory: string;
  let confRoot: string;
  const rootBefore = new Map<string, string>(KEYS.map((key) => [key, rootValue(key)]));

  beforeAll(async () => {
    ensureBuilt();
    // Root logins: writing a namespace's sysctls needs root inside it.
    lab = await startNetnsLab({ hosts: 2, loginAsRoot: true });
    dir = await tempDir('rackplay-sysctl-');
    confRoot = join(dir.path, 'sysctl.d');
    for (const host of lab.hosts) await mkdir(join(confRoot, host.name), { recursive: true });
    inventory = (await writeFiles(dir.path, { 'hosts.yml': lab.inventoryYaml() }))['hosts.yml']!;
  }, 120_000);
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
    // The machine's own values never moved.
    for (const key of KEYS) expect(rootValue(key), key).toBe(rootBefore.get(key));
  });

  const hostValue = async (host: NetnsHost, key: string) => (await lab.exec(host, ['sysctl', '-n', key])).stdout.trim();
  const confFile = (host: NetnsHost, key: string) => join(confRoot, host.name, `${key}.conf`);
  const readConf = (host: NetnsHost, key: string) => readFile(confFile(host, key), 'utf8').catch(() => undefined);
  const flipped = async (key: string) => ((await hostValue(lab.hosts[0]!, key)) === '1' ? '0' : '1');
  const run = (playbookFile: string, ...more: string[]) => rackplay('run', playbookFile, '-i', inventory, '-e', `conf_root=${confRoot}`, '--output', 'plain', ...more);

  /** check+diff changes nothing; the run changes every host; the second run changes nothing. */
  async function converges(playbookFile: string, key: string, value: string, ...more: string[]) {
    const before = await hostValue(lab.hosts[0]!, key);
    const check = await run(playbookFile, '--check', '--diff', ...more);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    for (const host of lab.hosts) {
      expect(recapOf(check.stdout, host.name)).toMatchObject({ changed: 1, failed: 0 });
      expect(await hostValue(host, key)).toBe(before);
      expect(await readConf(host, key)).toBeUndefined();
    }
    expect(check.stdout).toContain(`--- before: sysctl ${key}\n+++ after: sysctl ${key}\n@@ -1 +1 @@\n-${before}\n+${value}\n`);
    expect(check.stdout).toContain(`+++ after: ${confFile(lab.hosts[1]!, key)}\n@@ -0,0 +1 @@\n+${key} = ${value}\n`);

    const first = await run(playbookFile, ...more);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const host of lab.hosts) {
      expect(recapOf(first.stdout, host.name)).toMatchObject({ changed: 1, failed: 0 });
      expect(await hostValue(host, key)).toBe(value);
      expect(await readConf(host, key)).toBe(`${key} = ${value}\n`);
    }
    const second = await run(playbookFile, ...more);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const host of lab.hosts) expect(recapOf(second.stdout, host.name)).toMatchObject({ changed: 0, failed: 0 });
    expect(rootValue(key)).toBe(rootBefore.get(key));
  }

  it('via --module-path (the fixture folder, importing rackplay from this package): check, diff, apply, then changed=0', async () => {
    const key = KEYS[0];
    const value = await flipped(key);
    const files = await writeFiles(join(dir.path, 'by-path'), { 'site.yml': playbook(key, value) });
    await converges(files['site.yml']!, key, value, '--module-path', fixturesDir);

    // state: absent removes the file, and says so in check mode first.
    const absent = await writeFiles(join(dir.path, 'by-path'), { 'absent.yml': playbook(key, value, ', state: absent') });
    const check = await run(absent['absent.yml']!, '--check', '--module-path', join(fixturesDir, 'sysctl'));
    expect(recapOf(check.stdout, lab.hosts[0]!.name)).toMatchObject({ changed: 1 });
    expect(await readConf(lab.hosts[0]!, key)).toBeDefined();
    const removed = await run(absent['absent.yml']!, '--module-path', join(fixturesDir, 'sysctl'));
    expect(removed.code, removed.stdout + removed.stderr).toBe(0);
    for (const host of lab.hosts) expect(await readConf(host, key)).toBeUndefined();
  }, 120_000);

  it('via modules/ beside the playbook, in a project with rackplay in node_modules', async () => {
    const key = KEYS[1];
    const value = await flipped(key);
    const project = join(dir.path, 'project');
    await projectWithRackplay(project);
    await cp(join(fixturesDir, 'sysctl'), join(project, 'modules', 'sysctl'), { recursive: true });
    const files = await writeFiles(project, { 'site.yml': playbook(key, value) });
    await converges(files['site.yml']!, key, value);
  }, 120_000);

  it('via an npm package named in rackplay.config.yml, installed in the project', async () => {
    const key = KEYS[2];
    const value = await flipped(key);
    const project = join(dir.path, 'package-project');
    await projectWithRackplay(project);
    const installed = await installSysctlPackage(project);
    const files = await writeFiles(project, { 'rackplay.config.yml': 'modules:\n  - rackplay-module-sysctl\n', 'site.yml': playbook(key, value) });
    await converges(files['site.yml']!, key, value);
    const doc = await rackplay('doc', '--playbook-dir', project);
    expect(doc.stdout).toMatch(new RegExp(`^sysctl .*\\[user module: ${installed} \\(npm package rackplay-module-sysctl\\)\\]$`, 'm'));
  }, 120_000);
});
