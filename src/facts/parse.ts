import { defaultIpv4, parseIpJsonAddr, parseIpJsonRoute, parseIpTextAddr, parseIpTextRoute, parseSysfsNet } from './network.js';
import { osFacts, parseOsRelease } from './os-release.js';
import { splitSections } from './sections.js';
import type { Facts, InterfacesSource, NetworkInterface } from './types.js';
import { parseVirtualization } from './virtualization.js';

/** Raised when the output is not a complete run of the fact script (cut short, or something else ran). */
export class FactOutputError extends Error {
  readonly code = 'E_FACTS';
}

/** The fact set from one run of the fact script; pure, so it is tested on outputs captured from real hosts. */
export function parseFacts(output: string, marker: string): Facts {
  const sections = splitSections(output, marker);
  if (!sections.has('end')) throw new FactOutputError(`the fact script's output is incomplete (${sections.size === 0 ? 'no section found' : `last section '${[...sections.keys()].at(-1)}'`})`);
  const text = (name: string) => sections.get(name) ?? '';
  const firstLine = (name: string) => text(name).split('\n')[0]!.trim();
  const nodename = firstLine('nodename');
  const { interfaces, source } = interfacesFrom(sections);
  const route = sections.has('ip-route-json') ? (parseIpJsonRoute(text('ip-route-json')) ?? parseIpTextRoute(text('ip-route-text'))) : undefined;
  const memKb = /^MemTotal:\s+(\d+)/.exec(text('meminfo'))?.[1];
  return {
    hostname: nodename.split('.')[0]!,
    // Like Python's getfqdn, which Ansible uses: a resolved name without a dot (`localhost`) is no FQDN.
    fqdn: firstLine('fqdn').includes('.') ? firstLine('fqdn') : nodename,
    system: firstLine('system'),
    os: osFacts(parseOsRelease(text('os-release'))),
    kernel: firstLine('kernel'),
    arch: firstLine('arch'),
    cpu_count: Number.parseInt(firstLine('cpu'), 10) || 0,
    mem_mb: memKb === undefined ? 0 : Math.floor(Number(memKb) / 1024),
    interfaces,
    interfaces_source: source,
    default_ipv4: source === 'ip-json' || source === 'ip-text' ? defaultIpv4(route, interfaces) : {},
    has_systemd: firstLine('systemd') === 'yes',
    virtualization: parseVirtualization(text('virt')),
  };
}

/** `ip -j` first, then `ip` text, then /sys/class/net (names and MACs only). */
function interfacesFrom(sections: ReadonlyMap<string, string>): { interfaces: NetworkInterface[]; source: InterfacesSource } {
  const json = parseIpJsonAddr(sections.get('ip-addr-json') ?? '');
  if (json !== undefined) return { interfaces: json, source: 'ip-json' };
  const text = parseIpTextAddr(sections.get('ip-addr-text') ?? '');
  if (text !== undefined) return { interfaces: text, source: 'ip-text' };
  const sysfs = parseSysfsNet(sections.get('sysfs-net') ?? '');
  return sysfs.length > 0 ? { interfaces: sysfs, source: 'sysfs' } : { interfaces: [], source: 'none' };
}
