import { canonicalAddress, hostPort, ipv6Words, isIpv6Address, prefixToNetmask } from './address.js';
import type { IpvsServiceParamsFromSchema } from './params.generated.js';
import type { Forwarding, IpvsService, RealServer, ServiceKey } from './parse.js';

export type IpvsServiceParams = IpvsServiceParamsFromSchema;

/** ipvsadm's timeout for `-p` without a value. */
export const DEFAULT_PERSISTENCE = 360;
export const DEFAULT_SCHEDULER = 'wlc';

/** The order ipvsadm prints scheduler flags in (flag 1, then flag 2). */
const SCHED_FLAG_ORDER = ['sh-fallback', 'mh-fallback', 'sh-port', 'mh-port'];

export function serviceKeyOf(params: IpvsServiceParams): ServiceKey {
  if (params.fwmark !== undefined || params.protocol === 'fwmark') return { protocol: 'fwmark', fwmark: params.fwmark, ipv6: params.ipv6 === true };
  const address = canonicalAddress(params.address ?? '');
  return { protocol: params.protocol ?? 'tcp', address, port: params.port, ipv6: isIpv6Address(address) };
}

/** The port a real server gets: its own, else the service's (0 for a fwmark service: the packet's port). */
export function realServerPort(params: IpvsServiceParams, server: { readonly port?: number }): number {
  return server.port ?? (params.fwmark !== undefined || params.protocol === 'fwmark' ? 0 : (params.port ?? 0));
}

/** The service as the playbook wants it, in the form parseIpvsSave returns, defaults applied. */
export function desiredService(params: IpvsServiceParams): IpvsService {
  const key = serviceKeyOf(params);
  const persistence = params.persistence === true ? DEFAULT_PERSISTENCE : params.persistence === false ? undefined : params.persistence;
  const scheduler = params.scheduler ?? DEFAULT_SCHEDULER;
  return {
    ...key,
    scheduler,
    persistence,
    netmask: persistence === undefined ? undefined : netmaskOf(params.persistence_netmask, key.ipv6),
    onePacket: params.one_packet === true,
    schedFlags: [...(params.sched_flags ?? [])].sort((a, b) => SCHED_FLAG_ORDER.indexOf(a) - SCHED_FLAG_ORDER.indexOf(b)),
    unknownOptions: [],
    realServers: (params.real_servers ?? []).map((server) => ({
      address: canonicalAddress(server.address),
      port: realServerPort(params, server),
      forwarding: server.forwarding ?? 'dr',
      weight: server.weight ?? 1,
      upperThreshold: server.upper_threshold ?? 0,
      lowerThreshold: server.lower_threshold ?? 0,
      tunnelOptions: [],
    })),
  };
}

/** -M as ipvsadm prints it, undefined for the default granularity (one client: /32 or /128). */
function netmaskOf(value: string | number | undefined, ipv6: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (ipv6) return value === 128 ? undefined : String(value);
  const mask = typeof value === 'number' ? prefixToNetmask(value) : value;
  return mask === '255.255.255.255' ? undefined : mask;
}

/** `-t addr:port`, `-u …`, `--sctp-service …`, `-f mark [-6]`: how ipvsadm names a service. */
export function serviceArgs(key: ServiceKey): string[] {
  if (key.protocol === 'fwmark') return ['-f', String(key.fwmark), ...(key.ipv6 ? ['-6'] : [])];
  const flag = key.protocol === 'tcp' ? '-t' : key.protocol === 'udp' ? '-u' : '--sctp-service';
  return [flag, hostPort(key.address ?? '', key.port ?? 0)];
}

/** The full service specification: -E resets what it is not given, so every field is always sent. */
export function serviceSpecArgs(service: IpvsService): string[] {
  return [
    ...serviceArgs(service),
    '-s',
    service.scheduler,
    ...(service.persistence === undefined ? [] : ['-p', String(service.persistence)]),
    ...(service.persistence === undefined || service.netmask === undefined ? [] : ['-M', service.netmask]),
    ...(service.persistenceEngine === undefined ? [] : ['--pe', service.persistenceEngine]),
    ...(service.onePacket ? ['-o'] : []),
    ...(service.schedFlags.length === 0 ? [] : ['-b', service.schedFlags.join(',')]),
  ];
}

const FORWARDING_SWITCH: Readonly<Record<Forwarding, string>> = { dr: '-g', nat: '-m', tunnel: '-i' };

export function realServerAddressArgs(server: RealServer): string[] {
  return ['-r', hostPort(server.address, server.port)];
}

/** The full real-server specification: -e resets what it is not given, so thresholds are always sent when set. */
export function realServerSpecArgs(server: RealServer): string[] {
  return [
    ...realServerAddressArgs(server),
    FORWARDING_SWITCH[server.forwarding],
    '-w',
    String(server.weight),
    ...(server.upperThreshold === 0 ? [] : ['-x', String(server.upperThreshold)]),
    ...(server.lowerThreshold === 0 ? [] : ['-y', String(server.lowerThreshold)]),
  ];
}

/**
 * The service as ipvsadm -S -n writes it: `-A` then one `-a` per real server, sorted as ipvsadm sorts them.
 * Thresholds, which the save format leaves out, are added at the end as -x/-y so that a --diff shows them too.
 */
export function saveLines(service: IpvsService): string[] {
  const head = serviceArgs(service).join(' ');
  const serviceLine = ['-A', ...serviceSpecArgs(service), ...service.unknownOptions].join(' ');
  const servers = [...service.realServers].sort(compareRealServers);
  const serverLine = (server: RealServer) => [
    '-a',
    head,
    ...realServerAddressArgs(server),
    FORWARDING_SWITCH[server.forwarding],
    '-w',
    String(server.weight),
    // ipvsadm 1.31 names the tunnel type of every tunnel server, ipip included.
    ...(server.forwarding === 'tunnel' && !server.tunnelOptions.includes('--tun-type') ? ['--tun-type', 'ipip'] : []),
    ...server.tunnelOptions,
    ...(server.upperThreshold === 0 ? [] : ['-x', String(server.upperThreshold)]),
    ...(server.lowerThreshold === 0 ? [] : ['-y', String(server.lowerThreshold)]),
  ];
  return [serviceLine, ...servers.map((server) => serverLine(server).join(' '))];
}

/** ipvsadm's order: by address (numerically), then port. */
export function compareRealServers(a: RealServer, b: RealServer): number {
  const [left, right] = [addressBytes(a.address), addressBytes(b.address)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? -1) - (right[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return a.port - b.port;
}

function addressBytes(address: string): number[] {
  return isIpv6Address(address) ? ipv6Words(address) : address.split('.').map(Number);
}
