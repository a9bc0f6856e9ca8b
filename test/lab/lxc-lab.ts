import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ip, ipQuietSync } from './netns-exec.js';
import { assertRoutedViaBridge, hostAddress, pickFreeSubnet } from './netns-subnet.js';
import type { LabSubnet } from './netns-subnet.js';
import { isRoot } from './test-user.js';

/**
 * Real LXC for tests: a private lxc path (a temp dir, so nothing in /var/lib/lxc is touched and teardown knows
 * exactly what is the lab's), a unique container name prefix, and on request a bridge of its own on a free
 * 10.213.X.0/24 (the machine's lxcbr0 does not exist and lxc-net is not used). stop() destroys every container
 * in the lab's path, deletes the bridge and the folder; a process 'exit' hook does the same if a test dies first.
 */
export interface LxcLab {
  /** Pass as lxc_path: the lab's own container folder. */
  readonly lxcPath: string;
  /** Unique per lab: every name the lab hands out starts with it. */
  readonly prefix: string;
  /** `${prefix}-${suffix}`. */
  name(suffix: string): string;
  /** Set with { bridge: true }: the bridge's name, its subnet and gateway (.1 on the bridge). */
  readonly bridge?: { readonly name: string; readonly subnet: LabSubnet };
  /** `base.(index + 2)` on the lab bridge. */
  address(index: number): string;
  /** Config keys that put a container's eth0 on the lab bridge with a static address (no DHCP). */
  networkConfig(index: number): Record<string, string | string[]>;
  /** Refuses (throws) unless these addresses route straight over the lab's bridge. */
  assertOnBridge(addresses: readonly string[]): Promise<void>;
  /** The container's config file path. */
  configPath(name: string): string;
  /** `lxc-info -s` state word, or 'ABSENT'. */
  state(name: string): string;
  /** Stops (-k) and destroys every container in the lab's path. Idempotent. */
  destroyAll(): void;
  /** destroyAll, then the bridge and the folder. Idempotent. */
  stop(): Promise<void>;
}

/** Why real LXC cannot run here, or undefined when it can. A skipped test prints it. */
export function lxcUnsupportedReason(): string | undefined {
  if (!isRoot()) return 'not root (LXC containers need root here)';
  for (const binary of ['/usr/bin/lxc-create', '/usr/bin/lxc-start', '/usr/bin/lxc-attach']) {
    if (!existsSync(binary)) return `${binary} is missing (apt-get install lxc)`;
  }
  if (!existsSync('/usr/share/lxc/templates/lxc-busybox')) return 'the busybox template is missing (apt-get install lxc)';
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) return 'busybox is missing (apt-get install busybox-static)';
  return undefined;
}

/** Full copies (lxc-copy without -s) go through rsync. */
export function rsyncMissingReason(): string | undefined {
  return existsSync('/usr/bin/rsync') ? undefined : 'rsync is missing (apt-get install rsync): lxc-copy needs it for a full clone';
}

function lxc(tool: string, args: readonly string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quiet(tool: string, args: readonly string[]): void {
  try {
    execFileSync(tool, args, { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // already stopped or gone
  }
}

export interface LxcLabOptions {
  /** A bridge on a free 10.213.X.0/24 for networked containers. */
  readonly bridge?: boolean;
  /** false: only pick the bridge's name and subnet, for a playbook that creates the bridge itself; stop() still deletes it. */
  readonly createBridge?: boolean;
}

export async function startLxcLab(options: LxcLabOptions = {}): Promise<LxcLab> {
  const tag = randomBytes(3).toString('hex');
  const prefix = `rpl${tag}`;
  const lxcPath = mkdtempSync(join(tmpdir(), 'rackplay-lxc-'));
  chmodSync(lxcPath, 0o755);
  let bridge: LxcLab['bridge'];
  let released = false;

  const destroyAll = (): void => {
    let names: string[] = [];
    try {
      names = lxc('lxc-ls', ['-P', lxcPath, '-1']).split('\n').map((line) => line.trim()).filter(Boolean);
    } catch {
      // the folder is gone already
    }
    // Snapshot clones first: LXC refuses to destroy a container that still has clones on its rootfs.
    const ordered = [...names].sort((a, b) => Number(isSnapshotClone(lxcPath, b)) - Number(isSnapshotClone(lxcPath, a)));
    for (const name of ordered) {
      quiet('lxc-stop', ['-P', lxcPath, '-n', name, '-k']);
      quiet('lxc-destroy', ['-P', lxcPath, '-n', name, '-f']);
    }
  };
  const releaseSync = (): void => {
    if (released) return;
    released = true;
    destroyAll();
    if (bridge !== undefined) ipQuietSync('link', 'del', bridge.name);
    rmSync(lxcPath, { recursive: true, force: true });
  };
  process.once('exit', releaseSync);

  try {
    if (options.bridge === true) {
      const subnet = await pickFreeSubnet();
      const name = `rpb${tag}`;
      bridge = { name, subnet };
      if (options.createBridge !== false) {
        await ip('link', 'add', name, 'type', 'bridge');
        await ip('addr', 'add', `${subnet.gateway}/${subnet.prefixLength}`, 'dev', name);
        await ip('link', 'set', name, 'up');
      }
    }
  } catch (error) {
    releaseSync();
    process.removeListener('exit', releaseSync);
    throw error;
  }

  const address = (index: number): string => {
    if (bridge === undefined) throw new Error('lxc lab: started without { bridge: true }');
    return hostAddress(bridge.subnet, index);
  };
  return {
    lxcPath,
    prefix,
    bridge,
    name: (suffix) => `${prefix}-${suffix}`,
    address,
    networkConfig: (index) => ({
      'lxc.net.0.type': 'veth',
      'lxc.net.0.link': bridge?.name ?? '',
      'lxc.net.0.flags': 'up',
      'lxc.net.0.ipv4.address': [`${address(index)}/24`],
      'lxc.net.0.ipv4.gateway': bridge?.subnet.gateway ?? '',
    }),
    assertOnBridge: async (addresses) => {
      if (bridge === undefined) throw new Error('lxc lab: started without { bridge: true }');
      await assertRoutedViaBridge(bridge.subnet, bridge.name, addresses);
    },
    configPath: (name) => join(lxcPath, name, 'config'),
    state: (name) => {
      try {
        return /State:\s*(\S+)/.exec(lxc('lxc-info', ['-P', lxcPath, '-n', name, '-s']))?.[1] ?? 'UNKNOWN';
      } catch {
        return 'ABSENT';
      }
    },
    destroyAll,
    stop: () => {
      releaseSync();
      process.removeListener('exit', releaseSync);
      return Promise.resolve();
    },
  };
}

function isSnapshotClone(lxcPath: string, name: string): boolean {
  try {
    return /^lxc\.rootfs\.path\s*=\s*overlay/m.test(readFileSync(join(lxcPath, name, 'config'), 'utf8'));
  } catch {
    return false;
  }
}
