import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, recapOf } from '../helpers/cli.js';
import { describeIpvs, savedTable, useIpvsVm } from '../ipvs/ipvs-vm-fixture.js';
import { eventually, serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab, SerfNode } from '../lab/serf-lab.js';

const playbook = resolve(import.meta.dirname, '../../playbooks/lvs-from-serf.yml');
const serfMissing = !serfAvailable();
if (serfMissing) console.warn('SKIPPED test/stack/lvs-from-serf.test.ts: needs the Debian package serf (and start-stop-daemon)');

/**
 * playbooks/lvs-from-serf.yml with real Serf agents on loopback and a real IPVS kernel (the QEMU director).
 * Web members advertise their service address in the tag web_addr: 10.1.1.0/24 is the subnet of the VM's
 * dummy interface rs0, so NAT real servers there are routable from the director.
 */
const VIP_LINE = '-A -t 192.0.2.80:80 -s rr';
const realServer = (address: string): string => `-a -t 192.0.2.80:80 -r ${address}:80 -m -w 1`;

const describeStack = serfMissing ? describe.skip : describeIpvs;

describeStack(
  'playbooks/lvs-from-serf.yml: director real servers follow the alive role=web Serf members',
  () => {
    const vm = useIpvsVm();
    let lab: SerfLab;
    let lb: SerfNode;
    const webs = new Map<string, { node: SerfNode; pid: number; address: string }>();
    let inventories: string[];

    /** Profile local: probes every 200 ms instead of 1 s, so a killed agent is marked failed within seconds. */
    const startWeb = async (name: string, address: string): Promise<void> => {
      const node = await lab.node(name);
      const pid = await lab.spawnAgent(node, ['-profile=local', '-tag', 'role=web', '-tag', `web_addr=${address}`, `-join=${lb.bind}`]);
      webs.set(name, { node, pid, address });
    };
    const alive = (): string[] => lab.members(lb).filter((member) => member.status === 'alive').map((member) => member.name).sort();
    const run = async () => {
      const result = await rackplay('run', playbook, ...inventories.flatMap((file) => ['-i', file]), '--output', 'plain');
      expect(result.code, result.stdout + result.stderr).toBe(0);
      return result;
    };

    beforeAll(async () => {
      lab = startSerfLab();
      lb = await lab.node('lb1');
      await lab.spawnAgent(lb, ['-profile=local', '-tag', 'role=lb']);
      await startWeb('web1', '10.1.1.11');
      await startWeb('web2', '10.1.1.12');
      await startWeb('web3', '10.1.1.13');
      await eventually(() => alive().length === 4, 15_000, 'four alive members');
      const director = join(lab.dir, 'director.yml');
      writeFileSync(director, vm().inventoryFor('director', 'directors'));
      // The group web declared (empty) beside the director, as playbooks/inventory/lvs-director.yml does.
      const groups = join(lab.dir, 'groups.yml');
      writeFileSync(groups, 'all:\n  children:\n    web: {}\n');
      const serf = join(lab.dir, 'serf.yml');
      writeFileSync(serf, `plugin: serf\nrpc_addr: ${lb.rpcAddr}\ngroup_by_tags: [role]\n`);
      inventories = [director, groups, serf];
    }, 30_000);
    afterAll(() => lab?.stop());

    it('adds the alive web members, removes a failed one and adds a newcomer, then changes nothing', async () => {
      const first = await run();
      expect(recapOf(first.stdout, 'director')).toMatchObject({ failed: 0 });
      expect(recapOf(first.stdout, 'director').changed).toBeGreaterThan(0);
      expect(await savedTable(vm())).toEqual([VIP_LINE, realServer('10.1.1.11'), realServer('10.1.1.12'), realServer('10.1.1.13')].sort());

      // web2's agent dies (SIGKILL by PID: no graceful leave); Serf's failure detection marks it failed.
      lab.kill(webs.get('web2')!.pid);
      const killed = Date.now();
      await eventually(() => lab.members(lb).find((member) => member.name === 'web2')?.status === 'failed', 30_000, 'Serf to mark web2 failed');
      console.info(`serf marked web2 failed ${Date.now() - killed} ms after its kill`);
      await startWeb('web4', '10.1.1.14');
      await eventually(() => alive().includes('web4'), 15_000, 'web4 to join');
      expect(alive()).toEqual(['lb1', 'web1', 'web3', 'web4']);

      const second = await run();
      expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 1, failed: 0 });
      expect(await savedTable(vm())).toEqual([VIP_LINE, realServer('10.1.1.11'), realServer('10.1.1.13'), realServer('10.1.1.14')].sort());

      const third = await run();
      expect(recapOf(third.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
      expect(await savedTable(vm())).toEqual([VIP_LINE, realServer('10.1.1.11'), realServer('10.1.1.13'), realServer('10.1.1.14')].sort());
    }, 180_000);

    it('when the web members leave, every real server is removed (the declared empty group web); an untagged member fails the run', async () => {
      // This time the agents leave gracefully: SIGINT (to the PIDs this test spawned) makes serf broadcast a leave.
      // Serf's gossip is slow to settle when the suite's CPU-heavy tests (the fuzz test) run beside it: up to 60 s.
      for (const name of ['web1', 'web3', 'web4']) process.kill(webs.get(name)!.pid, 'SIGINT');
      const interrupted = Date.now();
      // A leave broadcast lost under load makes the others find the member failed instead: gone either way.
      const gone = (status: string | undefined) => status === 'left' || status === 'failed';
      await eventually(() => ['web1', 'web3', 'web4'].every((name) => gone(lab.members(lb).find((member) => member.name === name)?.status)), 60_000, 'the web members to have left');
      const statuses = ['web1', 'web3', 'web4'].map((name) => `${name} ${lab.members(lb).find((member) => member.name === name)?.status}`);
      console.info(`serf showed ${statuses.join(', ')} ${Date.now() - interrupted} ms after SIGINT`);
      expect(alive()).toEqual(['lb1']);
      const emptied = await run();
      expect(recapOf(emptied.stdout, 'director')).toMatchObject({ changed: 1, failed: 0 });
      expect(await savedTable(vm())).toEqual([VIP_LINE]);

      // A web member without the web_addr tag is not guessed at: the run fails naming it, the table stays.
      const untagged = await lab.node('web5');
      await lab.spawnAgent(untagged, ['-profile=local', '-tag', 'role=web', `-join=${lb.bind}`]);
      await eventually(() => alive().includes('web5'), 15_000, 'web5 to join');
      const refused = await rackplay('run', playbook, ...inventories.flatMap((file) => ['-i', file]), '--output', 'plain');
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain("extract: 'web5' has no serf_tags.web_addr");
      expect(await savedTable(vm())).toEqual([VIP_LINE]);
    }, 120_000);
  },
);

describe('playbooks/lvs-from-serf.yml with its example static inventory', () => {
  it('validates with the group web declared empty (no Serf member yet), and targets the director', async () => {
    const staticInventory = resolve(import.meta.dirname, '../../playbooks/inventory/lvs-director.yml');
    const run = await rackplay('validate', playbook, '-i', staticInventory);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const check = await rackplay('run', playbook, '-i', staticInventory, '--list-hosts');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('lb01');
  });
});
