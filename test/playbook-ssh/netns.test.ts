import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetnsLab } from '../lab/netns-lab.js';
import type { NetnsLab } from '../lab/netns-lab.js';
import { netnsUnsupportedReason } from '../lab/netns-support.js';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { MULTI_TASK_PLAYBOOK, SITE_TEMPLATE } from './site.js';

const unsupported = netnsUnsupportedReason();
if (unsupported !== undefined) console.warn(`SKIPPED netns playbook tests: ${unsupported}`);
const describeNetns = unsupported === undefined ? describe : describe.skip;

describeNetns(`playbooks over SSH against netns hosts${unsupported ? ` (SKIPPED: ${unsupported})` : ''}`, () => {
  let lab: NetnsLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let files: Record<string, string>;

  beforeAll(async () => {
    lab = await startNetnsLab({ hosts: 3 });
    dir = await tempDir();
    files = await writeFiles(dir.path, { 'site.yml': MULTI_TASK_PLAYBOOK, 'site.conf.hbs': SITE_TEMPLATE, 'hosts.yml': lab.inventoryYaml() });
  });
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
  });

  it('the multi-task playbook converges each host, then changes nothing', async () => {
    // Each namespace host shares the machine's filesystem; per-host folders keep them apart.
    const args = ['run', files['site.yml']!, '-i', files['hosts.yml']!, '-e', `root=/tmp/rackplay-netns-play-${process.pid}`, '--output', 'plain'];
    try {
      const first = await rackplay(...args);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      for (const host of lab.hosts) expect(recapOf(first.stdout, host.name)).toMatchObject({ changed: 5, failed: 0 });
      const second = await rackplay(...args);
      expect(second.code).toBe(0);
      for (const host of lab.hosts) expect(recapOf(second.stdout, host.name)).toMatchObject({ changed: 0, failed: 0 });
    } finally {
      await import('node:fs/promises').then(({ rm }) => rm(`/tmp/rackplay-netns-play-${process.pid}`, { recursive: true, force: true }));
    }
  });

  it('the hello playbook runs on a netns host, twice, the second with changed=0', async () => {
    const hello = join(import.meta.dirname, '..', '..', 'playbooks', 'hello.yml');
    const base = `/tmp/rackplay-netns-hello-${process.pid}`;
    try {
      const args = ['run', hello, '-i', files['hosts.yml']!, '-e', `base_dir=${base}`, '--output', 'plain'];
      // hello.yml targets localhost; aim it at the first netns host by inventory alias.
      const inventory = (await writeFiles(dir.path, { 'hello-hosts.yml': lab.inventoryYaml().replace(`${lab.hosts[0]!.name}:`, 'localhost:') }))['hello-hosts.yml']!;
      args[3] = inventory;
      const first = await rackplay(...args);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const second = await rackplay(...args);
      expect(recapOf(second.stdout, 'localhost')).toMatchObject({ changed: 0, failed: 0 });
    } finally {
      await import('node:fs/promises').then(({ rm }) => rm(base, { recursive: true, force: true }));
    }
  });
});
