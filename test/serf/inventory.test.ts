import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { groupsMap, selectHosts } from '../../src/inventory/index.js';
import { rackplay } from '../helpers/cli.js';
import { startSshLab } from '../lab/ssh-lab.js';
import type { SshLab } from '../lab/ssh-lab.js';
import { eventually, serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab, SerfNode } from '../lab/serf-lab.js';

const available = serfAvailable();
if (!available) console.warn('SKIPPED test/serf/inventory.test.ts: needs the Debian package serf');

describe.skipIf(!available)('the serf inventory against real agents', () => {
  let lab: SerfLab;
  let nodes: SerfNode[];
  const pids: number[] = [];
  let serfFile: string;

  beforeAll(async () => {
    lab = startSerfLab();
    nodes = [await lab.node('lb1'), await lab.node('web1'), await lab.node('web2')];
    const tags = [['-tag', 'role=lb'], ['-tag', 'role=web', '-tag', 'zone=a'], ['-tag', 'role=web', '-tag', 'zone=b']];
    for (const [index, node] of nodes.entries()) {
      pids.push(await lab.spawnAgent(node, [...tags[index]!, ...(index === 0 ? [] : [`-join=${nodes[0]!.bind}`])]));
    }
    await eventually(() => lab.members(nodes[0]!).filter((member) => member.status === 'alive').length === 3, 10_000, 'three alive members');
    serfFile = join(lab.dir, 'serf.yml');
    writeFileSync(serfFile, `plugin: serf\nrpc_addr: ${nodes[0]!.rpcAddr}\ngroup_by_tags: [role, zone]\ngroup_name: "{{tag}}_{{value}}"\ngroup: serf\n`);
  }, 30_000);
  afterAll(() => lab?.stop());

  it('makes hosts from members, ansible_host from addresses, groups from tags, serf_status and serf_tags vars', async () => {
    const inventory = await loadInventory([serfFile]);
    expect([...inventory.hosts.keys()].sort()).toEqual(['lb1', 'web1', 'web2']);
    expect(selectHosts(inventory, 'role_web')).toEqual(['web1', 'web2']);
    expect(selectHosts(inventory, 'role_lb')).toEqual(['lb1']);
    expect(selectHosts(inventory, 'zone_b')).toEqual(['web2']);
    expect(selectHosts(inventory, 'serf').length).toBe(3);
    expect(inventory.hosts.get('web2')!.vars).toMatchObject({ ansible_host: '127.0.0.1', serf_port: nodes[2]!.bindPort, serf_status: 'alive', serf_tags: { role: 'web', zone: 'b' } });
    expect(Object.keys(groupsMap(inventory))).toContain('zone_a');
  });

  it('merges with a static inventory given with another -i, and playbooks target the tag groups', async () => {
    const staticFile = join(lab.dir, 'static.ini');
    writeFileSync(staticFile, '[web:vars]\nansible_connection=local\n[lb]\nlb1\n[all:vars]\nansible_connection=local\n');
    const plainFile = join(lab.dir, 'serf-plain.yml');
    writeFileSync(plainFile, `plugin: serf\nrpc_addr: ${nodes[0]!.rpcAddr}\n`);
    const playbook = join(lab.dir, 'list.yml');
    writeFileSync(playbook, '- hosts: web\n  tasks:\n    - debug: { msg: "{{inventory_hostname}} {{ansible_host}} {{serf_tags.zone}}" }\n');
    const run = await rackplay('run', playbook, '-i', staticFile, '-i', plainFile);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('web1 127.0.0.1 a');
    expect(run.stdout).toContain('web2 127.0.0.1 b');
    const inventory = await loadInventory([staticFile, plainFile]);
    expect(selectHosts(inventory, 'lb')).toEqual(['lb1']);
  });

  it('reports a misspelled key as an inventory error with its position and a suggestion', async () => {
    const bad = join(lab.dir, 'bad-serf.yml');
    writeFileSync(bad, `plugin: serf\nrpc_addr: ${nodes[0]!.rpcAddr}\nstatus: [alive]\n`);
    const playbook = join(lab.dir, 'noop.yml');
    writeFileSync(playbook, '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n');
    const run = await rackplay('run', playbook, '-i', bad);
    expect(run.code).toBe(4);
    expect(run.stdout + run.stderr).toContain(`${bad}:3:1 E_INVENTORY unknown key 'status' in the serf inventory (did you mean 'statuses'?)`);
  });

  it('reports an agent that does not answer as an inventory error', async () => {
    const dead = join(lab.dir, 'dead-serf.yml');
    writeFileSync(dead, 'plugin: serf\nrpc_addr: 127.0.0.1:1\n');
    const run = await rackplay('validate', join(lab.dir, 'noop.yml'), '-i', dead);
    expect(run.code).toBe(4);
    expect(run.stdout + run.stderr).toMatch(/dead-serf\.yml:2:11 E_INVENTORY serf inventory: serf members -rpc-addr=127\.0\.0\.1:1 failed \(exit 1\): Error connecting/);
  });

  it('drops a member whose agent was killed (by PID) from the alive hosts; statuses can keep it', async () => {
    lab.kill(pids[2]!);
    await eventually(() => lab.members(nodes[0]!).find((member) => member.name === 'web2')?.status === 'failed', 20_000, 'web2 to be failed');
    const inventory = await loadInventory([serfFile]);
    expect(selectHosts(inventory, 'role_web')).toEqual(['web1']);
    const withFailed = join(lab.dir, 'serf-failed.yml');
    writeFileSync(withFailed, `plugin: serf\nrpc_addr: ${nodes[0]!.rpcAddr}\nstatuses: [alive, failed]\n`);
    const all = await loadInventory([withFailed]);
    expect(all.hosts.get('web2')!.vars.serf_status).toBe('failed');
  }, 30_000);

  describe('via a host over SSH', () => {
    let ssh: SshLab;
    beforeAll(async () => {
      ssh = await startSshLab();
    });
    afterAll(async () => ssh?.stop());

    it('runs serf members on the via host, reached with its inventory connection variables', async () => {
      const sshInventory = join(lab.dir, 'ssh.yml');
      writeFileSync(sshInventory, ssh.inventoryFor(1));
      const viaFile = join(lab.dir, 'serf-via.yml');
      writeFileSync(viaFile, `plugin: serf\nvia: lab-1\nrpc_addr: ${nodes[0]!.rpcAddr}\n`);
      const inventory = await loadInventory([sshInventory, viaFile]);
      expect(selectHosts(inventory, 'web')).toEqual(['web1']);
      expect(selectHosts(inventory, 'lb')).toEqual(['lb1']);
    });
  });
});
