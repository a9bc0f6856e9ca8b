import { splitHostPort } from './address.js';

export type ServiceProtocol = 'tcp' | 'udp' | 'sctp' | 'fwmark';
export type Forwarding = 'dr' | 'nat' | 'tunnel';

/** Which virtual service: protocol with address and port, or a firewall mark (IPv4 or IPv6). */
export interface ServiceKey {
  readonly protocol: ServiceProtocol;
  readonly address?: string;
  readonly port?: number;
  readonly fwmark?: number;
  readonly ipv6: boolean;
}

export interface RealServer {
  readonly address: string;
  readonly port: number;
  readonly forwarding: Forwarding;
  readonly weight: number;
  /** Not in the save format: filled from `ipvsadm -L -n --thresholds`; 0 = none. */
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
  /** Tunnel options as printed after the weight (--tun-type gue --tun-port 6080 …), ipip (the default) left out. */
  readonly tunnelOptions: readonly string[];
}

export interface IpvsService extends ServiceKey {
  readonly scheduler: string;
  /** Persistence timeout in seconds; undefined when the service is not persistent. */
  readonly persistence?: number;
  /** -M as printed: a dotted mask (IPv4) or a prefix length (IPv6); undefined for the default /32 or /128. */
  readonly netmask?: string;
  readonly persistenceEngine?: string;
  readonly onePacket: boolean;
  readonly schedFlags: readonly string[];
  /** Options this parser does not know, kept so that a difference is seen rather than hidden. */
  readonly unknownOptions: readonly string[];
  readonly realServers: readonly RealServer[];
}

export class IpvsParseError extends Error {
  readonly code = 'E_IPVS_PARSE';
  constructor(message: string, readonly line: string) {
    super(`${message}: ${JSON.stringify(line)}`);
    this.name = 'IpvsParseError';
  }
}

/** A stable text for a service key: `tcp 10.0.0.1:80`, `tcp [2001:db8::1]:80`, `fwmark 5`, `fwmark 5 ipv6`. */
export function serviceId(key: ServiceKey): string {
  if (key.protocol === 'fwmark') return `fwmark ${key.fwmark}${key.ipv6 ? ' ipv6' : ''}`;
  const address = key.address ?? '';
  return `${key.protocol} ${key.ipv6 ? `[${address}]` : address}:${key.port}`;
}

export function realServerId(server: { readonly address: string; readonly port: number }): string {
  return `${server.address}|${server.port}`;
}

const SERVICE_FLAGS: Readonly<Record<string, Exclude<ServiceProtocol, 'fwmark'>>> = {
  '-t': 'tcp',
  '--tcp-service': 'tcp',
  '-u': 'udp',
  '--udp-service': 'udp',
  '--sctp-service': 'sctp',
};

/** Reads the service part of a save line (`-t addr:port`, `--sctp-service …`, `-f 5 [-6]`); returns the key and the words after it. */
function readServiceKey(words: readonly string[], line: string): { key: ServiceKey; rest: string[] } {
  const [flag, value, ...rest] = words;
  if (flag === '-f' || flag === '--fwmark-service') {
    const fwmark = Number(value);
    if (!Number.isInteger(fwmark) || fwmark <= 0) throw new IpvsParseError('bad firewall mark', line);
    const ipv6 = rest[0] === '-6' || rest[0] === '--ipv6';
    return { key: { protocol: 'fwmark', fwmark, ipv6 }, rest: ipv6 ? rest.slice(1) : rest };
  }
  const protocol = flag === undefined ? undefined : SERVICE_FLAGS[flag];
  const hostPort = value === undefined ? undefined : splitHostPort(value);
  if (protocol === undefined || hostPort === undefined) throw new IpvsParseError('unknown virtual service', line);
  return { key: { protocol, address: hostPort.address, port: hostPort.port, ipv6: value!.startsWith('[') }, rest };
}

interface MutableService extends Omit<IpvsService, 'realServers'> {
  realServers: RealServer[];
}

/** Parses `ipvsadm -S -n`: `-A` lines (services) each followed by their `-a` lines (real servers). */
export function parseIpvsSave(text: string): IpvsService[] {
  const services = new Map<string, MutableService>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [command, ...words] = line.split(/\s+/);
    if (command === '-A') {
      const service = parseServiceLine(words, line);
      services.set(serviceId(service), service);
    } else if (command === '-a') {
      const { key, rest } = readServiceKey(words, line);
      const service = services.get(serviceId(key));
      if (service === undefined) throw new IpvsParseError('real server of a service not listed before it', line);
      service.realServers.push(parseRealServer(rest, line));
    } else {
      throw new IpvsParseError('not an ipvsadm save line', line);
    }
  }
  return [...services.values()];
}

function parseServiceLine(words: readonly string[], line: string): MutableService {
  const { key, rest } = readServiceKey(words, line);
  let scheduler: string | undefined;
  let persistence: number | undefined;
  let netmask: string | undefined;
  let persistenceEngine: string | undefined;
  let onePacket = false;
  let schedFlags: string[] = [];
  const unknownOptions: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    const value = rest[index + 1];
    switch (word) {
      case '-s':
        scheduler = value;
        index++;
        break;
      case '-p':
        persistence = Number(value);
        index++;
        break;
      case '-M':
        netmask = value;
        index++;
        break;
      case '--pe':
        persistenceEngine = value;
        index++;
        break;
      case '-b':
        schedFlags = (value ?? '').split(',').filter((flag) => flag !== '');
        index++;
        break;
      // ipvsadm 1.31 saves one-packet scheduling as a bare "ops"; -o is how it is given.
      case 'ops':
      case '-o':
        onePacket = true;
        break;
      default:
        unknownOptions.push(word);
    }
  }
  if (scheduler === undefined) throw new IpvsParseError('service without a scheduler', line);
  if (persistence !== undefined && !Number.isInteger(persistence)) throw new IpvsParseError('bad persistence timeout', line);
  return { ...key, scheduler, persistence, netmask, persistenceEngine, onePacket, schedFlags, unknownOptions, realServers: [] };
}

const FORWARDING: Readonly<Record<string, Forwarding>> = { '-g': 'dr', '-m': 'nat', '-i': 'tunnel' };

function parseRealServer(words: readonly string[], line: string): RealServer {
  if (words[0] !== '-r') throw new IpvsParseError('real server line without -r', line);
  const hostPort = splitHostPort(words[1] ?? '');
  if (hostPort === undefined) throw new IpvsParseError('bad real server address', line);
  let forwarding: Forwarding = 'dr';
  let weight = 1;
  const tunnelOptions: string[] = [];
  for (let index = 2; index < words.length; index++) {
    const word = words[index]!;
    if (FORWARDING[word] !== undefined) forwarding = FORWARDING[word];
    else if (word === '-w') weight = Number(words[++index]);
    else if (word === '--tun-type' && words[index + 1] === 'ipip') index++;
    else if ((word === '--tun-type' || word === '--tun-port') && words[index + 1] !== undefined) tunnelOptions.push(word, words[++index]!);
    else tunnelOptions.push(word);
  }
  if (!Number.isInteger(weight)) throw new IpvsParseError('bad weight', line);
  return { address: hostPort.address, port: hostPort.port, forwarding, weight, upperThreshold: 0, lowerThreshold: 0, tunnelOptions };
}

export interface Thresholds {
  readonly upper: number;
  readonly lower: number;
}

const LIST_PROTOCOLS: Readonly<Record<string, ServiceProtocol>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/**
 * Parses `ipvsadm -L -n --thresholds [service]`: per service id, per real server id, its thresholds.
 * Service lines are `TCP  10.0.0.1:80`, `SCTP [2001:db8::1]:80`, `FWM  5`, `FWM  5 IPv6`;
 * real server lines `  -> 10.0.0.2:80   Uthreshold Lthreshold ActiveConn InActConn`.
 */
export function parseIpvsThresholds(text: string): Map<string, Map<string, Thresholds>> {
  const services = new Map<string, Map<string, Thresholds>>();
  let current: Map<string, Thresholds> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('IP Virtual Server') || line.startsWith('Prot ') || line.startsWith('-> RemoteAddress')) continue;
    const words = line.split(/\s+/);
    if (words[0] === '->') {
      const hostPort = splitHostPort(words[1] ?? '');
      const [upper, lower] = [Number(words[2]), Number(words[3])];
      if (current === undefined || hostPort === undefined || !Number.isInteger(upper) || !Number.isInteger(lower)) throw new IpvsParseError('unexpected thresholds line', raw);
      current.set(realServerId(hostPort), { upper, lower });
      continue;
    }
    const key = listServiceKey(words, raw);
    current = new Map();
    services.set(serviceId(key), current);
  }
  return services;
}

function listServiceKey(words: readonly string[], line: string): ServiceKey {
  if (words[0] === 'FWM') {
    const fwmark = Number(words[1]);
    if (!Number.isInteger(fwmark)) throw new IpvsParseError('bad firewall mark', line);
    return { protocol: 'fwmark', fwmark, ipv6: words[2] === 'IPv6' };
  }
  const protocol = LIST_PROTOCOLS[words[0] ?? ''];
  const hostPort = splitHostPort(words[1] ?? '');
  if (protocol === undefined || hostPort === undefined) throw new IpvsParseError('unexpected list line', line);
  return { protocol, address: hostPort.address, port: hostPort.port, ipv6: words[1]!.startsWith('[') };
}

/** The service with its real servers' thresholds filled in from a thresholds listing. */
export function withThresholds(service: IpvsService, listing: ReadonlyMap<string, ReadonlyMap<string, Thresholds>>): IpvsService {
  const thresholds = listing.get(serviceId(service));
  if (thresholds === undefined) return service;
  return {
    ...service,
    realServers: service.realServers.map((server) => {
      const found = thresholds.get(realServerId(server));
      return found === undefined ? server : { ...server, upperThreshold: found.upper, lowerThreshold: found.lower };
    }),
  };
}

/**
 * When ipvsadm failed because the kernel has no IPVS ("Can't initialize ipvs: Protocol not available", after its own
 * modprobe attempt), that line with the exit code; undefined for any other failure.
 */
export function ipvsUnavailableReason(exitCode: number, stderr: string): string | undefined {
  const line = stderr.split('\n').find((candidate) => candidate.includes("Can't initialize ipvs"));
  return exitCode === 0 || line === undefined ? undefined : `ipvsadm: ${line.trim()}, exit ${exitCode}`;
}
