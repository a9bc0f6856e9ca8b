import { randomInt } from 'node:crypto';
import { ip, run } from './netns-exec.js';

/**
 * The lab's addresses live in 10.213.X.0/24 with a random X: private, unlikely to be used by the host, and
 * only ever configured on the lab's own bridge and veths. X is random so that labs of parallel test files
 * (and anything else on the machine) do not collide; every choice is checked against the routing table.
 */
export const LAB_PREFIX = '10.213';

export interface LabSubnet {
  /** `10.213.X`, without the last octet. */
  readonly base: string;
  /** The bridge's address in the root namespace: `10.213.X.1`. */
  readonly gateway: string;
  readonly prefixLength: 24;
}

/** `base.(i + 1)`: hosts take .2, .3, …; .1 is the bridge. */
export function hostAddress(subnet: LabSubnet, index: number): string {
  return `${subnet.base}.${index + 2}`;
}

/** A /24 under 10.213.0.0/16 that no route or address on the controller overlaps, in any table. */
export async function pickFreeSubnet(): Promise<LabSubnet> {
  const used = await usedPrefixes();
  for (let attempt = 0; attempt < 50; attempt++) {
    const x = randomInt(1, 255);
    const candidate = { network: toInt(`${LAB_PREFIX}.${x}.0`), length: 24 };
    if (!used.some((prefix) => overlaps(prefix, candidate))) {
      return { base: `${LAB_PREFIX}.${x}`, gateway: `${LAB_PREFIX}.${x}.1`, prefixLength: 24 };
    }
  }
  throw new Error(`netns lab: no free /24 under ${LAB_PREFIX}.0.0/16 (every candidate overlaps a route)`);
}

/**
 * Refuses (throws) unless `address` is routed over the lab's own bridge and the lab's subnet is on no other
 * link: the guard that keeps lab traffic from ever leaving through a real interface.
 */
export async function assertRoutedViaBridge(subnet: LabSubnet, bridge: string, addresses: readonly string[]): Promise<void> {
  const holders = (await ip('-4', '-o', 'addr', 'show', 'to', `${subnet.base}.0/24`))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(/\s+/)[1]);
  if (holders.some((dev) => dev !== bridge)) {
    throw new Error(`netns lab: ${subnet.base}.0/24 is also configured on ${holders.join(', ')}; refusing to run`);
  }
  for (const address of addresses) {
    // A failed lookup (no route at all) is a refusal too, with ip's message in place of the route.
    const lookup = await run('ip', ['-4', 'route', 'get', address]);
    const route = lookup.code === 0 ? lookup.stdout : lookup.stderr;
    if (lookup.code !== 0 || !new RegExp(`\\bdev ${bridge}\\b`).test(route) || /\bvia\b/.test(route)) {
      throw new Error(`netns lab: ${address} does not route directly via ${bridge} (${route.trim()}); refusing to run`);
    }
  }
}

interface Prefix {
  readonly network: number;
  readonly length: number;
}

/** Every IPv4 prefix in any routing table and on any interface, except default routes. */
async function usedPrefixes(): Promise<Prefix[]> {
  const text = (await ip('-4', 'route', 'show', 'table', 'all')) + (await ip('-4', '-o', 'addr', 'show'));
  const prefixes: Prefix[] = [];
  for (const match of text.matchAll(/(?:^|\s)(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)) {
    const length = match[2] !== undefined ? Number(match[2]) : 32;
    if (length === 0) continue;
    prefixes.push({ network: toInt(match[1]!), length });
  }
  return prefixes;
}

function overlaps(a: Prefix, b: Prefix): boolean {
  const length = Math.min(a.length, b.length);
  const mask = length === 0 ? 0 : (~0 << (32 - length)) >>> 0;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}
