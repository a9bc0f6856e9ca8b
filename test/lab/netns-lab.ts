/**
 * The netns lab: N real hosts on one machine, root only. Each host is a network namespace `rp-<id>-<i>`
 * with its own address, its own iptables ruleset, its own hostname (a UTS namespace) and its own OpenSSH
 * sshd on <address>:22; a veth pair links it to a bridge `rpbr-<id>` that the lab creates in the root
 * namespace with the gateway address. Addresses come from a random 10.213.X.0/24 that no route on the
 * controller overlaps; the lab refuses to start unless every host address routes directly via its bridge.
 * The namespaces get no default route: lab hosts can reach each other and the controller, nothing else.
 *
 * Using it from a playbook test:
 *
 *   const reason = netnsUnsupportedReason();          // netns-support.ts: 'not root', 'ip netns add' failed…
 *   if (reason) console.warn(`SKIPPED: ${reason}`);    // and it.skip(`… (SKIPPED: ${reason})`)
 *   const lab = await startNetnsLab({ hosts: 3 });      // in beforeAll; `await lab?.stop()` in afterAll
 *   await writeFile(join(dir, 'hosts.yml'), lab.inventoryYaml());
 *   await rackplay('run', 'site.yml', '-i', join(dir, 'hosts.yml'));
 *
 * The inventory it writes (host-key checking stays strict, against the lab's own known_hosts):
 *
 *   all:
 *     hosts:
 *       host-1:
 *         ansible_host: 10.213.X.2
 *         rackplay_netns: "rp-<id>-1"      # for checks from the controller: lab.exec(host, argv)
 *       host-2:
 *         ansible_host: 10.213.X.3
 *         rackplay_netns: "rp-<id>-2"
 *     vars:
 *       ansible_port: 22
 *       ansible_user: "rackplay-test"      # /bin/sh login, no sudo; "root" with { loginAsRoot: true }
 *       ansible_ssh_private_key_file: "/tmp/rackplay-netns-…/id_ed25519"
 *       rackplay_known_hosts_file: "/tmp/rackplay-netns-…/known_hosts"
 *       rackplay_host_key_checking: strict
 *
 * The test user cannot run iptables; a test that needs a host's ruleset reads or changes it as root from the
 * controller with `lab.exec(host, ['iptables', '-S'])` (`ip netns exec`), or logs in as root.
 * stop() (and a process 'exit' safety net, and a failed start) kills every process the lab started or that
 * runs in its namespaces, by PID, then deletes the veths, namespaces, bridge and temp dir.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inNetns, ip, type ExecResult } from './netns-exec.js';
import { netnsInventoryYaml } from './netns-inventory.js';
import { LabResources } from './netns-resources.js';
import { startNamespacedSshd } from './netns-sshd.js';
import { assertRoutedViaBridge, hostAddress, pickFreeSubnet, type LabSubnet } from './netns-subnet.js';
import { generateKey } from './keys.js';
import { ensureTestUser, isRoot } from './test-user.js';

export { netnsUnsupportedReason, iptablesUnsupportedReason } from './netns-support.js';

export interface NetnsLabOptions {
  /** Number of hosts, 1–250 (each takes one address of the /24). */
  readonly hosts: number;
  /** Log in as root instead of the dedicated /bin/sh test user. */
  readonly loginAsRoot?: boolean;
  /** Extra sshd_config lines for every host, appended verbatim. */
  readonly extraSshdConfig?: readonly string[];
}

export interface NetnsHost {
  /** Inventory alias, and the hostname inside the host (`host-1`, …). */
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  readonly port: 22;
  /** PID of this host's sshd listener. */
  readonly sshdPid: number;
  /** `ssh-ed25519 AAAA…` of this host's own host key. */
  readonly hostKeyPublic: string;
}

export interface NetnsLab {
  readonly hosts: readonly NetnsHost[];
  readonly bridge: string;
  /** The bridge's address, which is also the controller's source address towards the hosts. */
  readonly gateway: string;
  /** `10.213.X.0/24`. */
  readonly subnet: string;
  readonly user: string;
  readonly privateKeyPath: string;
  /** One `ADDRESS ssh-ed25519 …` line per host. */
  readonly knownHostsFile: string;
  readonly tempDir: string;
  /** Wall-clock time startNetnsLab took. */
  readonly setupMs: number;
  inventoryYaml(): string;
  /** Runs argv as root in the host's network namespace, from the controller (not over SSH). */
  exec(host: NetnsHost, argv: readonly string[]): Promise<ExecResult>;
  /** Tears everything down (see the file comment). Idempotent. */
  stop(): Promise<void>;
}

/** Hosts are set up this many at a time: enough to hide ip's latency, few enough not to fork-bomb at N=250. */
const SETUP_CONCURRENCY = 16;

export async function startNetnsLab(options: NetnsLabOptions): Promise<NetnsLab> {
  if (!isRoot()) throw new Error('startNetnsLab needs root (check netnsUnsupportedReason() and skip loudly)');
  if (!Number.isInteger(options.hosts) || options.hosts < 1 || options.hosts > 250) {
    throw new Error(`startNetnsLab: hosts must be 1–250, got ${options.hosts}`);
  }
  const started = performance.now();
  const id = randomBytes(3).toString('hex');
  const resources = new LabResources();
  const safetyNet = (): void => void resources.releaseSync();
  process.once('exit', safetyNet);
  try {
    resources.tempDir = mkdtempSync(join(tmpdir(), 'rackplay-netns-'));
    // sshd reads authorized_keys as the target user, so the dir must be traversable by it.
    chmodSync(resources.tempDir, 0o755);
    const tempDir = resources.tempDir;
    const user = options.loginAsRoot === true ? 'root' : ensureTestUser();
    const privateKeyPath = join(tempDir, 'id_ed25519');
    const authorizedKeys = join(tempDir, 'authorized_keys');
    writeFileSync(authorizedKeys, `${generateKey(privateKeyPath)}\n`, { mode: 0o644 });

    const bridge = `rpbr-${id}`;
    const subnet = await createBridge(resources, bridge);
    const plan = Array.from({ length: options.hosts }, (_, i) => ({
      name: `host-${i + 1}`,
      namespace: `rp-${id}-${i + 1}`,
      veth: `rpv${id}-${i + 1}`,
      address: hostAddress(subnet, i),
    }));
    await inBatches(plan, (host) => createHostNetwork(resources, bridge, subnet, host));
    // The guard runs before the first packet (sshd's readiness probe) is sent to any lab address.
    await assertRoutedViaBridge(subnet, bridge, plan.map((host) => host.address));

    const hosts = await inBatches(plan, async (host): Promise<NetnsHost> => {
      const sshd = await startNamespacedSshd({
        namespace: host.namespace,
        hostname: host.name,
        address: host.address,
        dir: join(tempDir, host.name),
        authorizedKeys,
        options: { loginAsRoot: options.loginAsRoot, extraConfig: options.extraSshdConfig },
        onSpawn: (child) => resources.children.push(child),
      });
      return { ...host, port: 22, sshdPid: sshd.pid, hostKeyPublic: sshd.hostKeyPublic };
    });
    const knownHostsFile = join(tempDir, 'known_hosts');
    writeFileSync(knownHostsFile, hosts.map((h) => `${h.address} ${h.hostKeyPublic.split(' ').slice(0, 2).join(' ')}\n`).join(''));
    const publicHosts = hosts.map(({ name, namespace, address, port, sshdPid, hostKeyPublic }) => ({
      name, namespace, address, port, sshdPid, hostKeyPublic,
    }));

    return {
      hosts: publicHosts,
      bridge,
      gateway: subnet.gateway,
      subnet: `${subnet.base}.0/24`,
      user,
      privateKeyPath,
      knownHostsFile,
      tempDir,
      setupMs: performance.now() - started,
      inventoryYaml: () => netnsInventoryYaml(publicHosts, { user, privateKeyPath, knownHostsFile }),
      exec: (host, argv) => inNetns(host.namespace, argv),
      async stop() {
        process.removeListener('exit', safetyNet);
        await resources.release();
      },
    };
  } catch (error) {
    process.removeListener('exit', safetyNet);
    await resources.release();
    throw error;
  }
}

/**
 * The bridge with the gateway address of a free /24. Two labs starting at once could pick the same /24
 * between the check and the `addr add`; the post-check then sees a second holder and we try another one.
 */
async function createBridge(resources: LabResources, bridge: string): Promise<LabSubnet> {
  await ip('link', 'add', bridge, 'type', 'bridge');
  resources.bridge = bridge;
  for (let attempt = 1; ; attempt++) {
    const subnet = await pickFreeSubnet();
    await ip('addr', 'add', `${subnet.gateway}/${subnet.prefixLength}`, 'dev', bridge);
    try {
      await assertRoutedViaBridge(subnet, bridge, []);
      await ip('link', 'set', bridge, 'up');
      return subnet;
    } catch (error) {
      await ip('addr', 'flush', 'dev', bridge);
      if (attempt >= 3) throw error;
    }
  }
}

/** One namespace with lo up and a veth to the bridge. No default route: see the file comment. */
async function createHostNetwork(
  resources: LabResources,
  bridge: string,
  subnet: LabSubnet,
  host: { namespace: string; veth: string; address: string },
): Promise<void> {
  await ip('netns', 'add', host.namespace);
  resources.namespaces.push(host.namespace);
  await ip('link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace);
  resources.veths.push(host.veth);
  await ip('link', 'set', host.veth, 'master', bridge, 'up');
  await ip('-n', host.namespace, 'addr', 'add', `${host.address}/${subnet.prefixLength}`, 'dev', 'eth0');
  await ip('-n', host.namespace, 'link', 'set', 'eth0', 'up');
  await ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
}

/**
 * Maps items with at most SETUP_CONCURRENCY in flight, keeping order. A failure rejects only once its whole
 * batch has settled: teardown must not run while a sibling is still creating a namespace it would miss.
 */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += SETUP_CONCURRENCY) {
    for (const outcome of await Promise.allSettled(items.slice(i, i + SETUP_CONCURRENCY).map(work))) {
      if (outcome.status === 'rejected') throw outcome.reason;
      results.push(outcome.value);
    }
  }
  return results;
}
