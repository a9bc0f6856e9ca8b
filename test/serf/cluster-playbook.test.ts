import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { eventually, serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab, SerfNode } from '../lab/serf-lab.js';

const available = serfAvailable();
if (!available) console.warn('SKIPPED test/serf/cluster-playbook.test.ts: needs the Debian packages serf and dpkg');

const playbook = resolve(import.meta.dirname, '../../playbooks/serf-cluster.yml');

describe.skipIf(!available)('playbooks/serf-cluster.yml on loopback nodes', () => {
  let lab: SerfLab;
  let nodes: SerfNode[];
  let inventory: string;

  beforeAll(async () => {
    lab = startSerfLab();
    nodes = [await lab.node('lb1'), await lab.node('web1'), await lab.node('web2'), await lab.node('db1')];
    const roles = ['lb', 'web', 'web', 'db'];
    const host = (node: SerfNode, index: number) =>
      `        ${node.name}: { serf_role: ${roles[index]}, serf_bind: "${node.bind}", serf_rpc_addr: "${node.rpcAddr}", serf_dir: "${node.dir}" }`;
    const files = await writeFiles(lab.dir, {
      'hosts.yml': [
        'all:',
        '  vars:',
        '    ansible_connection: local',
        '    serf_service_manager: daemon',
        `    serf_key_file: ${join(lab.dir, 'serf.key')}`,
        `    serf_join: "${nodes[0]!.bind}"`,
        '  children:',
        '    serf_nodes:',
        '      children:',
        '        lb:',
        '          hosts:',
        host(nodes[0]!, 0).replace(/^ {8}/, '            '),
        '      hosts:',
        ...nodes.slice(1).map((node, i) => host(node, i + 1)),
        '',
      ].join('\n'),
    });
    inventory = files['hosts.yml']!;
    for (const node of nodes) await (await import('node:fs/promises')).mkdir(node.dir, { recursive: true });
  });
  afterAll(() => lab?.stop());

  it('forms the cluster with role tags, runs the LB handler on joins, and changes nothing the second time', async () => {
    const first = await rackplay('run', playbook, '-i', inventory);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const seen = lab.members(nodes[0]!);
    expect(seen.filter((member) => member.status === 'alive').map((member) => `${member.name}=${member.tags.role}`).sort()).toEqual(['db1=db', 'lb1=lb', 'web1=web', 'web2=web']);
    const record = join(nodes[0]!.dir, 'lb-members.log');
    await eventually(() => existsSync(record) && ['web1', 'web2', 'db1'].every((name) => readFileSync(record, 'utf8').includes(`member-join ${name} 127.0.0.1`)), 20_000, 'the LB handler to record the joins');
    expect(readFileSync(record, 'utf8')).toMatch(/^member-join web1 127\.0\.0\.1 web$/m);

    const second = await rackplay('run', playbook, '-i', inventory);
    expect(second.code, second.stdout).toBe(0);
    for (const node of nodes) expect(recapOf(second.stdout, node.name).changed).toBe(0);
  }, 60_000);
});
