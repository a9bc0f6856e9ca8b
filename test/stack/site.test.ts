import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rackplay, recapOf } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { describeIpvs, savedTable, useIpvsVm } from '../ipvs/ipvs-vm-fixture.js';
import { lxcUnsupportedReason, startLxcLab } from '../lab/lxc-lab.js';
import type { LxcLab } from '../lab/lxc-lab.js';
import { serfAvailable, startSerfLab } from '../lab/serf-lab.js';
import type { SerfLab, SerfNode } from '../lab/serf-lab.js';
import { startEmulator } from '../sum/emulator.js';
import type { Emulator } from '../sum/emulator.js';
import { BMC_PASSWORD, x11Board } from '../sum/models.js';
import type { EmulatedMenu, EmulatorState } from '../sum/models.js';

const playbook = resolve(import.meta.dirname, '../../playbooks/site.yml');
const missing = [lxcUnsupportedReason(), serfAvailable() ? undefined : 'serf or start-stop-daemon is missing (apt-get install serf)'].filter((reason) => reason !== undefined);
if (missing.length > 0) console.warn(`SKIPPED test/stack/site.test.ts: ${missing.join('; ')}`);
const describeStack = missing.length > 0 ? describe.skip : describeIpvs;

/** A BIOS setting's selected value in the emulator's state, by its SUM path (menu|menu|setting). */
function biosSetting(state: EmulatorState, path: string): unknown {
  const parts = path.split('|');
  let menus: EmulatedMenu[] | undefined = state.menus;
  let menu: EmulatedMenu | undefined;
  for (const name of parts.slice(0, -1)) {
    menu = menus?.find((entry) => entry.name === name);
    menus = menu?.menus;
  }
  const setting = menu?.settings?.find((entry) => entry.name === parts.at(-1));
  if (setting === undefined) throw new Error(`no BIOS setting ${path} in the emulator`);
  return setting.type === 'Option' ? setting.selected : setting.value;
}

/**
 * playbooks/site.yml over the whole lab: the BMC is the SUM emulator (local), the LXC host is this machine (local,
 * the lxc lab's temp lxc_path, bridge and name prefix), the Serf nodes are loopback agents with their own temp
 * folders and ports (daemon mode), and the director is the QEMU guest with a real IPVS kernel, over SSH.
 * The guest cannot reach the lab bridge (user-mode networking), so the director's NAT real servers are the
 * containers' addresses as configuration only; lvs-from-serf.test.ts sends the director routable ones.
 */
describeStack('playbooks/site.yml: the whole stack in the lab, twice', () => {
  const vm = useIpvsVm();
  let lxc: LxcLab;
  let serf: SerfLab;
  let serfNodes: SerfNode[];
  let emulator: Emulator;
  let inventories: string[];
  const hosts = ['node01-bmc', 'lxchost', 'serf-lb', 'serf-web1', 'serf-web2', 'director'];

  beforeAll(async () => {
    lxc = await startLxcLab({ bridge: true, createBridge: false });
    serf = startSerfLab();
    emulator = await startEmulator(x11Board());
    serfNodes = [await serf.node('serf-lb'), await serf.node('serf-web1'), await serf.node('serf-web2')];
    for (const node of serfNodes) mkdirSync(node.dir, { recursive: true });
    const serfHost = (node: SerfNode, role: string) => ({ serf_role: role, serf_bind: node.bind, serf_rpc_addr: node.rpcAddr, serf_dir: node.dir, serf_profile: 'local' });
    const lab = {
      all: {
        vars: { web_servers: [0, 1].map((index) => ({ name: lxc.name(`web${index + 1}`), address: lxc.address(index) })) },
        children: {
          bmcs: { hosts: { 'node01-bmc': { bmc_address: '127.0.0.1' } }, vars: { ansible_connection: 'local' } },
          lxc_hosts: {
            hosts: { lxchost: { ansible_connection: 'local' } },
            vars: { lxc_path: lxc.lxcPath, web_bridge: lxc.bridge!.name, web_gateway: lxc.bridge!.subnet.gateway, web_prefix: 24 },
          },
          serf_nodes: {
            hosts: { 'serf-lb': serfHost(serfNodes[0]!, 'lb'), 'serf-web1': serfHost(serfNodes[1]!, 'web'), 'serf-web2': serfHost(serfNodes[2]!, 'web') },
            vars: { ansible_connection: 'local', serf_service_manager: 'daemon', serf_key_file: join(serf.dir, 'serf.key'), serf_join: serfNodes[0]!.bind },
          },
        },
      },
    };
    const files = await writeFiles(serf.dir, { 'lab.yml': stringify(lab), 'director.yml': vm().inventoryFor('director', 'directors') });
    inventories = [files['lab.yml']!, files['director.yml']!];
  }, 60_000);
  afterAll(async () => {
    serf?.stop();
    await lxc?.stop();
    await emulator?.cleanup();
  });

  const run = async () => {
    const args = ['run', playbook, ...inventories.flatMap((file) => ['-i', file]), '-e', `sum_path=${emulator.sumPath}`, '-e', JSON.stringify({ bmc_password: BMC_PASSWORD }), '--output', 'plain'];
    const result = await rackplay(...args);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return result;
  };

  it('builds the stack on the first run, and the second run is changed=0 on every host', async () => {
    expect(biosSetting(await emulator.read(), 'Advanced|Boot Feature|Quiet Boot')).toBe('Enabled');
    const started = Date.now();
    const first = await run();
    const firstMs = Date.now() - started;
    for (const host of hosts) expect(recapOf(first.stdout, host), host).toMatchObject({ failed: 0, unreachable: 0 });
    for (const host of hosts) expect(recapOf(first.stdout, host).changed, `${host} changed on the first run`).toBeGreaterThan(0);

    // BMC: the baseline is applied in the emulated BIOS, pending the reboot.
    const bios = await emulator.read();
    expect(biosSetting(bios, 'Advanced|Boot Feature|Quiet Boot')).toBe('Disabled');
    expect(biosSetting(bios, 'Advanced|CPU Configuration|Hyper-Threading [ALL]')).toBe('Enable');
    expect(biosSetting(bios, 'Boot|Boot Option #1')).toBe('UEFI Network:IPv4 Intel(R) I350 Gigabit');
    expect(bios.pendingReboot).toBe(true);

    // LXC host: both web containers run.
    for (const index of [1, 2]) expect(lxc.state(lxc.name(`web${index}`))).toBe('RUNNING');

    // Serf: one cluster, every agent sees the three alive members with their role tags.
    for (const node of serfNodes) {
      const seen = serf.members(node).filter((member) => member.status === 'alive').map((member) => `${member.name}=${member.tags.role}`).sort();
      expect(seen, `members seen by ${node.name}`).toEqual(['serf-lb=lb', 'serf-web1=web', 'serf-web2=web']);
    }

    // Director: the NAT virtual service over the containers' addresses, read back from the guest kernel.
    const backends = [lxc.address(0), lxc.address(1)].map((address) => `-a -t 192.0.2.80:80 -r ${address}:80 -m -w 1`);
    expect(await savedTable(vm())).toEqual(['-A -t 192.0.2.80:80 -s rr', ...backends].sort());
    expect((await vm().shell.check('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');

    const again = Date.now();
    const second = await run();
    const secondMs = Date.now() - again;
    for (const host of hosts) expect(recapOf(second.stdout, host), `${host} on the second run:\n${second.stdout}`).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    console.info(`site.yml: first run ${firstMs} ms, second run ${secondMs} ms`);
  }, 240_000);
});

describe('playbooks/site.yml with its example inventory', () => {
  it('validates: every role file, the inventory groups and the variables the roles need', async () => {
    const inventory = resolve(import.meta.dirname, '../../playbooks/inventory/site.yml');
    const run = await rackplay('validate', playbook, '-i', inventory, '-e', 'bmc_password=example');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('valid');
  });
});
