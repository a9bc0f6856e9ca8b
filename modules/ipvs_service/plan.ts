import type { Change, Plan } from '../../src/module/contract.js';
import { hostPort } from './address.js';
import type { IpvsService, RealServer } from './parse.js';
import { realServerId, serviceId } from './parse.js';
import { compareRealServers, desiredService, realServerAddressArgs, realServerSpecArgs, saveLines, serviceArgs, serviceKeyOf, serviceSpecArgs } from './spec.js';
import type { IpvsServiceParams } from './spec.js';

/** What gather read from the host. */
export interface IpvsState {
  /** False when ipvsadm cannot reach IPVS: the kernel has no ip_vs loaded (or built). */
  readonly available: boolean;
  /** ipvsadm's own words and exit code when IPVS is not available. */
  readonly unavailableReason?: string;
  /** The service as now in the kernel, thresholds included; undefined when there is no such service. */
  readonly service?: IpvsService;
}

const IPVSADM = 'ipvsadm';

export function planIpvsService(params: IpvsServiceParams, state: IpvsState): Plan {
  const id = serviceId(serviceKeyOf(params));
  const current = state.service;
  if (params.state === 'absent') {
    if (current === undefined) return { changes: [], noopReason: state.available ? `IPVS service ${id} is absent` : `IPVS is not loaded: service ${id} is absent`, result: result('absent', undefined, []) };
    const changes = [command(['-D', ...serviceArgs(current)], `delete IPVS service ${id} and its ${current.realServers.length} real server(s)`)];
    return { changes, diff: diffOf(id, current, undefined), result: result('absent', undefined, changes) };
  }
  if (!state.available && params.load_module !== true) {
    return {
      changes: [],
      failed: `IPVS is not available in this host's kernel (${state.unavailableReason ?? 'ipvsadm cannot initialize ipvs'}). Load it with 'modprobe ip_vs' (and the scheduler's module, 'modprobe ip_vs_${params.scheduler ?? 'wlc'}'), or set load_module: true.`,
    };
  }

  const desired = desiredService(params);
  const changes: Change[] = [];
  if (params.load_module === true) {
    if (!state.available) changes.push(modprobe('ip_vs', 'load the IPVS kernel module'));
    if (current?.scheduler !== desired.scheduler) changes.push(modprobe(`ip_vs_${desired.scheduler}`, `load the ${desired.scheduler} scheduler's kernel module`));
  }
  if (current === undefined) {
    changes.push(command(['-A', ...serviceSpecArgs(desired)], `add IPVS service ${id} (${describeService(desired)})`));
  } else {
    const changed = serviceChanges(current, desired);
    if (changed.length > 0) changes.push(command(['-E', ...serviceSpecArgs(desired)], `edit IPVS service ${id}: ${changed.join(', ')}`));
  }

  const existing = new Map((current?.realServers ?? []).map((server) => [realServerId(server), server]));
  const wanted = new Set(desired.realServers.map(realServerId));
  const adds: Change[] = [];
  const edits: Change[] = [];
  for (const server of [...desired.realServers].sort(compareRealServers)) {
    const now = existing.get(realServerId(server));
    const name = hostPort(server.address, server.port);
    if (now === undefined) {
      adds.push(command(['-a', ...serviceArgs(desired), ...realServerSpecArgs(server)], `add real server ${name} to ${id} (${describeRealServer(server)})`));
      continue;
    }
    const changed = realServerChanges(now, server);
    if (changed.length > 0) edits.push(command(['-e', ...serviceArgs(desired), ...realServerSpecArgs(server)], `edit real server ${name} of ${id}: ${changed.join(', ')}`));
  }
  const extra = (current?.realServers ?? []).filter((server) => !wanted.has(realServerId(server)));
  const purge = params.purge_real_servers !== false;
  const removes = purge
    ? [...extra].sort(compareRealServers).map((server) => command(['-d', ...serviceArgs(desired), ...realServerAddressArgs(server)], `remove real server ${hostPort(server.address, server.port)} from ${id}`))
    : [];
  // New servers first, removals last: the service keeps serving while it changes.
  changes.push(...adds, ...edits, ...removes);

  const after: IpvsService = { ...desired, realServers: [...desired.realServers, ...(purge ? [] : extra)] };
  const outcome = result('present', after, changes);
  if (changes.length === 0) return { changes, result: outcome, noopReason: `IPVS service ${id} is as specified (${after.realServers.length} real server(s))` };
  return { changes, diff: diffOf(id, current, after), result: outcome };
}

function command(args: readonly string[], description: string): Change {
  return { kind: 'command', argv: [IPVSADM, ...args], description };
}

function modprobe(module: string, description: string): Change {
  return { kind: 'command', argv: ['modprobe', '--', module], description };
}

function describeService(service: IpvsService): string {
  const persistence = service.persistence === undefined ? '' : `, persistent ${service.persistence} s${service.netmask === undefined ? '' : ` per ${service.netmask}`}`;
  const flags = service.schedFlags.length === 0 ? '' : `, flags ${service.schedFlags.join(',')}`;
  return `${service.scheduler}${persistence}${service.onePacket ? ', one-packet' : ''}${flags}`;
}

function describeRealServer(server: RealServer): string {
  const thresholds = server.upperThreshold === 0 && server.lowerThreshold === 0 ? '' : `, thresholds ${server.upperThreshold}/${server.lowerThreshold}`;
  return `${server.forwarding}, weight ${server.weight}${thresholds}`;
}

/** What differs between the service in the kernel and the wanted one, as "field before -> after". */
export function serviceChanges(current: IpvsService, desired: IpvsService): string[] {
  const persistence = (service: IpvsService) => (service.persistence === undefined ? 'none' : String(service.persistence));
  const list = (values: readonly string[]) => (values.length === 0 ? 'none' : values.join(','));
  const fields: [string, string, string][] = [
    ['scheduler', current.scheduler, desired.scheduler],
    ['persistence', persistence(current), persistence(desired)],
    ['persistence_netmask', current.netmask ?? 'default', desired.netmask ?? 'default'],
    ['persistence engine', current.persistenceEngine ?? 'none', desired.persistenceEngine ?? 'none'],
    ['one_packet', String(current.onePacket), String(desired.onePacket)],
    ['sched_flags', list(current.schedFlags), list(desired.schedFlags)],
    ['other options', list(current.unknownOptions), list(desired.unknownOptions)],
  ];
  return fields.filter(([, before, after]) => before !== after).map(([name, before, after]) => `${name} ${before} -> ${after}`);
}

export function realServerChanges(current: RealServer, desired: RealServer): string[] {
  const list = (values: readonly string[]) => (values.length === 0 ? 'none' : values.join(' '));
  const fields: [string, string, string][] = [
    ['forwarding', current.forwarding, desired.forwarding],
    ['weight', String(current.weight), String(desired.weight)],
    ['upper_threshold', String(current.upperThreshold), String(desired.upperThreshold)],
    ['lower_threshold', String(current.lowerThreshold), String(desired.lowerThreshold)],
    ['tunnel options', list(current.tunnelOptions), list(desired.tunnelOptions)],
  ];
  return fields
    .filter(([, before, after]) => before !== after)
    .map(([name, before, after]) => `${name} ${before} -> ${after}${name === 'weight' && after === '0' ? ' (drain)' : ''}`);
}

function diffOf(id: string, before: IpvsService | undefined, after: IpvsService | undefined) {
  const text = (service: IpvsService | undefined) => (service === undefined ? '' : saveLines(service).map((line) => `${line}\n`).join(''));
  return { path: `ipvsadm -S -n: ${id}`, before: text(before), after: text(after) };
}

/** The registered result: the service and its real servers as they are (or, under --check, would be). */
export function result(state: 'present' | 'absent', service: IpvsService | undefined, changes: readonly Change[]): Record<string, unknown> {
  return {
    state,
    service: service === undefined ? null : serviceResult(service),
    real_servers: service === undefined ? [] : [...service.realServers].sort(compareRealServers).map(realServerResult),
    commands: changes.flatMap((change) => (change.kind === 'command' ? [change.argv.join(' ')] : [])),
  };
}

export function serviceResult(service: IpvsService): Record<string, unknown> {
  return {
    protocol: service.protocol,
    ...(service.protocol === 'fwmark' ? { fwmark: service.fwmark } : { address: service.address, port: service.port }),
    ipv6: service.ipv6,
    scheduler: service.scheduler,
    sched_flags: service.schedFlags,
    persistence: service.persistence ?? false,
    persistence_netmask: service.persistence === undefined ? null : (service.netmask ?? (service.ipv6 ? 128 : '255.255.255.255')),
    one_packet: service.onePacket,
  };
}

function realServerResult(server: RealServer): Record<string, unknown> {
  return {
    address: server.address,
    port: server.port,
    forwarding: server.forwarding,
    weight: server.weight,
    upper_threshold: server.upperThreshold,
    lower_threshold: server.lowerThreshold,
  };
}
