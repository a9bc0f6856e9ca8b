import type { DefaultIpv4, InterfaceAddress, NetworkInterface } from './types.js';

interface IpJsonLink {
  readonly ifname?: unknown;
  readonly address?: unknown;
  readonly addr_info?: readonly { readonly family?: unknown; readonly local?: unknown; readonly prefixlen?: unknown }[];
}

/** `ip -j addr show`; undefined when the text is not the JSON array iproute2 prints (old ip, busybox ip). */
export function parseIpJsonAddr(text: string): NetworkInterface[] | undefined {
  const links = parseJsonArray(text) as IpJsonLink[] | undefined;
  if (links === undefined) return undefined;
  return links
    .filter((link) => typeof link.ifname === 'string')
    .map((link) => {
      const addresses = (family: string): InterfaceAddress[] =>
        (link.addr_info ?? [])
          .filter((info) => info.family === family && typeof info.local === 'string')
          .map((info) => ({ address: info.local as string, prefix: Number(info.prefixlen) }));
      return { name: link.ifname as string, mac: typeof link.address === 'string' ? link.address.toLowerCase() : '', ipv4: addresses('inet'), ipv6: addresses('inet6') };
    });
}

/** `ip addr show` text, as iproute2 and busybox print it; undefined when nothing in it looks like a link. */
export function parseIpTextAddr(text: string): NetworkInterface[] | undefined {
  const interfaces: { name: string; mac: string; ipv4: InterfaceAddress[]; ipv6: InterfaceAddress[] }[] = [];
  for (const line of text.split('\n')) {
    const link = /^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:\s/.exec(line);
    if (link !== null) {
      interfaces.push({ name: link[1]!, mac: '', ipv4: [], ipv6: [] });
      continue;
    }
    const current = interfaces.at(-1);
    if (current === undefined) continue;
    const ether = /^\s+link\/\S+\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2})+)/.exec(line);
    if (ether !== null) current.mac = ether[1]!.toLowerCase();
    const inet = /^\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)/.exec(line);
    if (inet !== null) (inet[1] === 'inet' ? current.ipv4 : current.ipv6).push({ address: inet[2]!, prefix: Number(inet[3]) });
  }
  return interfaces.length > 0 ? interfaces : undefined;
}

/** Lines `name mac` from /sys/class/net: names and MACs only, the addresses are unknown. */
export function parseSysfsNet(text: string): NetworkInterface[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0] !== undefined && fields[0] !== '')
    .map(([name, mac]) => ({ name: name!, mac: (mac ?? '').toLowerCase(), ipv4: [], ipv6: [] }));
}

export interface DefaultRoute {
  readonly gateway?: string;
  readonly dev?: string;
  readonly prefsrc?: string;
}

/** `ip -j route show default`: the first default route (ip lists them by metric). */
export function parseIpJsonRoute(text: string): DefaultRoute | undefined {
  const routes = parseJsonArray(text) as { dst?: unknown; gateway?: unknown; dev?: unknown; prefsrc?: unknown }[] | undefined;
  const route = routes?.find((entry) => entry.dst === 'default');
  if (route === undefined) return undefined;
  return { gateway: stringOrUndefined(route.gateway), dev: stringOrUndefined(route.dev), prefsrc: stringOrUndefined(route.prefsrc) };
}

/** `ip route show default` text. busybox ignores the `default` selector, so only lines that start with it count. */
export function parseIpTextRoute(text: string): DefaultRoute | undefined {
  const line = text.split('\n').find((entry) => /^default\s/.test(entry));
  if (line === undefined) return undefined;
  const words = line.trim().split(/\s+/);
  const after = (key: string) => {
    const index = words.indexOf(key);
    return index >= 0 ? words[index + 1] : undefined;
  };
  return { gateway: after('via'), dev: after('dev'), prefsrc: after('src') };
}

/** Ansible's ansible_default_ipv4 from the default route and the interface it leaves by; {} without a route. */
export function defaultIpv4(route: DefaultRoute | undefined, interfaces: readonly NetworkInterface[]): DefaultIpv4 {
  if (route === undefined) return {};
  const device = interfaces.find((entry) => entry.name === route.dev);
  const chosen = device?.ipv4.find((entry) => entry.address === route.prefsrc) ?? device?.ipv4[0];
  const address = route.prefsrc ?? chosen?.address;
  const prefix = chosen?.prefix;
  return {
    ...(address !== undefined ? { address } : {}),
    ...(prefix !== undefined ? { prefix, netmask: netmask(prefix), ...(address !== undefined ? { network: network(address, prefix) } : {}) } : {}),
    ...(route.gateway !== undefined ? { gateway: route.gateway } : {}),
    ...(route.dev !== undefined ? { interface: route.dev } : {}),
    ...(device !== undefined && device.mac !== '' ? { macaddress: device.mac } : {}),
  };
}

function netmask(prefix: number): string {
  return toDotted(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

function network(address: string, prefix: number): string {
  const value = address.split('.').reduce((sum, octet) => ((sum << 8) | Number(octet)) >>> 0, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return toDotted((value & mask) >>> 0);
}

function toDotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

function parseJsonArray(text: string): unknown[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return Array.isArray(value) ? value.filter((entry) => typeof entry === 'object' && entry !== null) : undefined;
  } catch {
    return undefined;
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
