/** The module's parameters (Ansible's `iptables` names) and their rendering as iptables argv. Pure. */

export type Table = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';

export interface TcpFlags {
  readonly flags: readonly string[];
  readonly flags_set: readonly string[];
}

export interface IptablesRuleParams {
  readonly table?: Table;
  readonly chain?: string;
  readonly ip_version?: 'ipv4' | 'ipv6';
  readonly state?: 'present' | 'absent';
  readonly action?: 'append' | 'insert';
  readonly rule_num?: number | string;
  readonly position_enforced?: boolean;
  readonly protocol?: string;
  readonly source?: string;
  readonly destination?: string;
  readonly match?: readonly string[];
  readonly in_interface?: string;
  readonly out_interface?: string;
  readonly source_port?: string | number;
  readonly destination_port?: string | number;
  readonly destination_ports?: readonly (string | number)[];
  readonly ctstate?: readonly string[];
  readonly src_range?: string;
  readonly dst_range?: string;
  readonly match_set?: string;
  readonly match_set_flags?: string;
  readonly limit?: string;
  readonly limit_burst?: string | number;
  readonly uid_owner?: string | number;
  readonly gid_owner?: string | number;
  readonly syn?: 'ignore' | 'match' | 'negate';
  readonly tcp_flags?: TcpFlags;
  readonly icmp_type?: string | number;
  readonly fragment?: boolean;
  readonly comment?: string;
  readonly jump?: string;
  readonly goto?: string;
  readonly to_ports?: string | number;
  readonly to_destination?: string;
  readonly to_source?: string;
  readonly reject_with?: string;
  readonly log_prefix?: string;
  readonly log_level?: string | number;
  readonly set_dscp_mark?: string | number;
  readonly set_dscp_mark_class?: string;
  readonly gateway?: string;
  readonly policy?: 'ACCEPT' | 'DROP' | 'QUEUE' | 'RETURN';
  readonly flush?: boolean;
  readonly chain_management?: boolean;
  readonly wait?: string | number;
}

/** The iptables binaries for the params' IP version. */
export function tools(params: IptablesRuleParams): { readonly iptables: string; readonly save: string } {
  return params.ip_version === 'ipv6' ? { iptables: 'ip6tables', save: 'ip6tables-save' } : { iptables: 'iptables', save: 'iptables-save' };
}

/** `iptables [-w N] -t TABLE`: the head of every command the module runs. */
export function commandHead(params: IptablesRuleParams): string[] {
  const head = [tools(params).iptables];
  if (params.wait !== undefined) head.push('-w', String(params.wait));
  head.push('-t', params.table ?? 'filter');
  return head;
}

/** Params that describe a rule (as opposed to chain-level params such as policy or flush). */
const ruleKeys = [
  'protocol', 'source', 'destination', 'match', 'in_interface', 'out_interface', 'source_port', 'destination_port',
  'destination_ports', 'ctstate', 'src_range', 'dst_range', 'match_set', 'limit', 'limit_burst', 'uid_owner', 'gid_owner',
  'tcp_flags', 'icmp_type', 'fragment', 'comment', 'jump', 'goto', 'to_ports', 'to_destination', 'to_source', 'reject_with',
  'log_prefix', 'log_level', 'set_dscp_mark', 'set_dscp_mark_class', 'gateway',
] as const satisfies readonly (keyof IptablesRuleParams)[];

/** True when only the chain is named: with chain_management that means "the chain itself". */
export function describesRule(params: IptablesRuleParams): boolean {
  if (params.syn !== undefined && params.syn !== 'ignore') return true;
  return ruleKeys.some((key) => params[key] !== undefined && !(Array.isArray(params[key]) && params[key].length === 0));
}

/** A value with Ansible's leading `!`: negated, and the value without it. */
function negation(value: string | number): { negated: boolean; value: string } {
  const text = String(value).trim();
  if (text.startsWith('!')) return { negated: true, value: text.slice(1).trim() };
  return { negated: false, value: text };
}

function option(flag: string, value: string | number | undefined, canonical: (value: string) => string | undefined = (text) => text): string[] {
  if (value === undefined) return [];
  const { negated, value: text } = negation(value);
  const rendered = canonical(text);
  if (rendered === undefined) return [];
  return [...(negated ? ['!'] : []), flag, rendered];
}

/**
 * The rule's specification after `-A CHAIN`: the argv given to iptables (`canonical` false), or the tokens
 * iptables-save prints for the same rule (`canonical` true). One function, so that the two cannot drift apart:
 * the argv is already written in iptables-save's order, and canonical only normalises values
 * (addresses, names of ICMP types, defaults iptables-save leaves out…).
 */
export function ruleSpec(params: IptablesRuleParams, canonical: boolean): string[] {
  const v6 = params.ip_version === 'ipv6';
  const norm = <T>(transform: (value: string) => T, value: string): T | string => (canonical ? transform(value) : value);
  const spec: string[] = [];
  spec.push(...option('-s', params.source, (value) => (canonical ? canonicalAddress(value, v6) : value)));
  spec.push(...option('-d', params.destination, (value) => (canonical ? canonicalAddress(value, v6) : value)));
  spec.push(...option('-i', params.in_interface));
  spec.push(...option('-o', params.out_interface));
  const protocol = params.protocol === undefined ? undefined : negation(params.protocol);
  const protocolName = protocol === undefined ? undefined : canonicalProtocol(protocol.value, v6);
  if (protocol !== undefined && protocolName !== undefined) {
    if (!canonical || protocolName !== 'all' || protocol.negated) spec.push(...(protocol.negated ? ['!'] : []), '-p', canonical ? protocolName : protocol.value);
  }
  if (params.fragment !== undefined) spec.push(...(params.fragment ? [] : ['!']), '-f');

  // Matches, each followed by its options, in the order iptables-save keeps: the protocol's match, the listed ones, then implied ones.
  const matches = new Map<string, string[]>();
  const protocolMatch = protocolName === 'ipv6-icmp' ? 'icmp6' : protocolName;
  const portOptions = [
    ...option('--sport', params.source_port),
    ...option('--dport', params.destination_port),
    ...tcpFlagOptions(params, canonical),
  ];
  const icmpOptions = option(v6 ? '--icmpv6-type' : '--icmp-type', params.icmp_type, (value) => norm((text) => canonicalIcmpType(text, v6), value));
  const listed = [...new Set(params.match ?? [])];
  if (protocolMatch !== undefined && (portOptions.length > 0 || icmpOptions.length > 0) && !listed.includes(protocolMatch)) matches.set(protocolMatch, []);
  for (const name of listed) matches.set(name, []);
  const add = (name: string, options: string[]): void => {
    if (options.length === 0) return;
    matches.set(name, [...(matches.get(name) ?? []), ...options]);
  };
  if (protocolMatch === 'tcp' || protocolMatch === 'udp') add(protocolMatch, portOptions);
  if (protocolMatch === 'icmp' || protocolMatch === 'icmp6') add(protocolMatch, icmpOptions);
  if (params.destination_ports !== undefined && params.destination_ports.length > 0) add('multiport', ['--dports', params.destination_ports.join(',')]);
  if (params.ctstate !== undefined && params.ctstate.length > 0) {
    const states = params.ctstate.join(',');
    if (listed.includes('state') && !listed.includes('conntrack')) add('state', ['--state', norm(canonicalStates, states)]);
    else add('conntrack', ['--ctstate', norm(canonicalStates, states)]);
  }
  add('iprange', [...option('--src-range', params.src_range), ...option('--dst-range', params.dst_range)]);
  if (params.match_set !== undefined) {
    const set = negation(params.match_set);
    add('set', [...(set.negated ? ['!'] : []), '--match-set', set.value, params.match_set_flags ?? 'src']);
  }
  if (params.limit !== undefined || params.limit_burst !== undefined) {
    const limit = params.limit === undefined ? (canonical ? ['--limit', '3/hour'] : []) : ['--limit', norm(canonicalLimit, params.limit)];
    const burst = params.limit_burst === undefined || (canonical && String(params.limit_burst) === '5') ? [] : ['--limit-burst', String(params.limit_burst)];
    add('limit', [...limit, ...burst]);
  }
  add('owner', [...option('--uid-owner', params.uid_owner), ...option('--gid-owner', params.gid_owner)]);
  if (params.comment !== undefined) add('comment', ['--comment', params.comment]);
  for (const [name, options] of matches) spec.push('-m', name, ...options);

  const jump = params.jump ?? (params.reject_with !== undefined ? 'REJECT' : undefined);
  if (jump !== undefined) spec.push('-j', jump, ...targetOptions(params, jump, canonical));
  if (params.goto !== undefined) spec.push('-g', params.goto);
  return spec;
}

const tcpFlagOrder = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];

/** iptables-save lists TCP flags in the kernel's bit order, ALL expanded, and an empty set as NONE. */
function canonicalTcpFlags(flags: readonly string[]): string {
  const named = new Set(flags.flatMap((flag) => (flag.toUpperCase() === 'ALL' ? tcpFlagOrder : [flag.toUpperCase()])));
  const ordered = tcpFlagOrder.filter((flag) => named.has(flag));
  return ordered.length === 0 ? 'NONE' : ordered.join(',');
}

function tcpFlagOptions(params: IptablesRuleParams, canonical: boolean): string[] {
  const flags = params.tcp_flags;
  if (flags !== undefined) {
    if (canonical) return ['--tcp-flags', canonicalTcpFlags(flags.flags), canonicalTcpFlags(flags.flags_set)];
    return ['--tcp-flags', flags.flags.join(','), flags.flags_set.length === 0 ? 'NONE' : flags.flags_set.join(',')];
  }
  // --syn is saved as what it means.
  const syn = canonical ? ['--tcp-flags', 'FIN,SYN,RST,ACK', 'SYN'] : ['--syn'];
  if (params.syn === 'match') return syn;
  if (params.syn === 'negate') return ['!', ...syn];
  return [];
}

function targetOptions(params: IptablesRuleParams, jump: string, canonical: boolean): string[] {
  const options: string[] = [];
  const target = jump.toUpperCase();
  if (params.to_destination !== undefined) options.push('--to-destination', params.to_destination);
  if (params.to_source !== undefined) options.push('--to-source', params.to_source);
  if (params.to_ports !== undefined) options.push('--to-ports', String(params.to_ports));
  if (params.log_prefix !== undefined) options.push('--log-prefix', params.log_prefix);
  if (params.log_level !== undefined) {
    const level = canonical ? canonicalLogLevel(String(params.log_level)) : String(params.log_level);
    if (!canonical || level !== '4') options.push('--log-level', level);
  }
  if (params.reject_with !== undefined) options.push('--reject-with', canonical ? canonicalReject(params.reject_with) : params.reject_with);
  else if (canonical && target === 'REJECT') options.push('--reject-with', params.ip_version === 'ipv6' ? 'icmp6-port-unreachable' : 'icmp-port-unreachable');
  if (params.set_dscp_mark !== undefined) options.push('--set-dscp', canonical ? dscpHex(Number(params.set_dscp_mark)) : String(params.set_dscp_mark));
  if (params.set_dscp_mark_class !== undefined) {
    const value = dscpClasses[params.set_dscp_mark_class.toUpperCase()];
    options.push(...(canonical && value !== undefined ? ['--set-dscp', dscpHex(value)] : ['--set-dscp-class', params.set_dscp_mark_class]));
  }
  if (params.gateway !== undefined && target === 'TEE') options.push('--gateway', params.gateway);
  return options;
}

// ---- canonical forms, as iptables-save 1.8 prints them ----

const protocolNumbers: Readonly<Record<string, string>> = { '0': 'all', '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp', '132': 'sctp', '136': 'udplite', '47': 'gre', '50': 'esp', '51': 'ah' };

export function canonicalProtocol(protocol: string, v6: boolean): string {
  const name = protocolNumbers[protocol] ?? protocol.toLowerCase();
  if (v6 && (name === 'icmpv6' || name === 'icmp6')) return 'ipv6-icmp';
  return name;
}

/** `10.0.0.1` → `10.0.0.1/32`, `10.0.0.7/24` → `10.0.0.0/24`, IPv6 compressed and lower-case; names are left as given. */
export function canonicalAddress(address: string, v6: boolean): string | undefined {
  const [host = '', mask] = address.split('/', 2);
  const bits = v6 ? 128 : 32;
  const words = v6 ? parseIpv6(host) : parseIpv4(host);
  if (words === undefined) return address;
  let prefix = bits;
  if (mask !== undefined) {
    if (/^\d+$/.test(mask)) prefix = Number(mask);
    else {
      const maskWords = v6 ? parseIpv6(mask) : parseIpv4(mask);
      const ones = maskWords === undefined ? undefined : contiguousOnes(maskWords, v6 ? 16 : 8);
      if (ones === undefined) return address;
      prefix = ones;
    }
  }
  if (prefix === 0) return undefined;
  const width = v6 ? 16 : 8;
  const masked = words.map((word, index) => {
    const keep = Math.max(0, Math.min(width, prefix - index * width));
    return keep === 0 ? 0 : word & (((1 << width) - 1) ^ ((1 << (width - keep)) - 1));
  });
  return `${v6 ? formatIpv6(masked) : masked.join('.')}/${prefix}`;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.map(Number);
}

function parseIpv6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    for (const part of half.split(':')) {
      if (part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/** RFC 5952: the longest run (of two or more) of zero groups becomes `::`. */
function formatIpv6(words: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < words.length; ) {
    if (words[start] !== 0) { start += 1; continue; }
    let end = start;
    while (end < words.length && words[end] === 0) end += 1;
    if (end - start > bestLength) { bestStart = start; bestLength = end - start; }
    start = end;
  }
  const hex = words.map((word) => word.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function contiguousOnes(words: readonly number[], width: number): number | undefined {
  const bits = words.map((word) => word.toString(2).padStart(width, '0')).join('');
  const match = /^(1*)0*$/.exec(bits);
  return match?.[1]?.length;
}

function canonicalStates(states: string): string {
  return states.split(',').map((state) => state.trim().toUpperCase()).join(',');
}

function canonicalLimit(limit: string): string {
  const match = /^(\d+)\/(s|sec|second|m|min|minute|h|hour|d|day)$/i.exec(limit.trim());
  if (match === null) return limit;
  const unit = (match[2] ?? '').toLowerCase()[0];
  const names: Readonly<Record<string, string>> = { s: 'sec', m: 'min', h: 'hour', d: 'day' };
  return `${match[1] ?? ''}/${names[unit ?? 's'] ?? 'sec'}`;
}

const logLevels: Readonly<Record<string, string>> = { emerg: '0', alert: '1', crit: '2', error: '3', err: '3', warning: '4', warn: '4', notice: '5', info: '6', debug: '7' };

function canonicalLogLevel(level: string): string {
  return logLevels[level.toLowerCase()] ?? level;
}

const rejectAliases: Readonly<Record<string, string>> = {
  'net-unreach': 'icmp-net-unreachable', 'host-unreach': 'icmp-host-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable', 'net-prohib': 'icmp-net-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited', 'tcp-rst': 'tcp-reset',
};

function canonicalReject(value: string): string {
  return rejectAliases[value] ?? value;
}

const dscpClasses: Readonly<Record<string, number>> = {
  CS0: 0, CS1: 8, CS2: 16, CS3: 24, CS4: 32, CS5: 40, CS6: 48, CS7: 56, BE: 0, EF: 46,
  AF11: 10, AF12: 12, AF13: 14, AF21: 18, AF22: 20, AF23: 22, AF31: 26, AF32: 28, AF33: 30, AF41: 34, AF42: 36, AF43: 38,
};

function dscpHex(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

const icmpTypes: Readonly<Record<string, string>> = {
  'echo-reply': '0', pong: '0', 'destination-unreachable': '3', 'network-unreachable': '3/0', 'host-unreachable': '3/1',
  'protocol-unreachable': '3/2', 'port-unreachable': '3/3', 'fragmentation-needed': '3/4', 'source-route-failed': '3/5',
  'network-prohibited': '3/9', 'host-prohibited': '3/10', 'communication-prohibited': '3/13', 'source-quench': '4',
  redirect: '5', 'echo-request': '8', ping: '8', 'router-advertisement': '9', 'router-solicitation': '10',
  'time-exceeded': '11', 'ttl-exceeded': '11', 'ttl-zero-during-transit': '11/0', 'parameter-problem': '12',
  'timestamp-request': '13', 'timestamp-reply': '14', 'address-mask-request': '17', 'address-mask-reply': '18',
};

const icmpv6Types: Readonly<Record<string, string>> = {
  'destination-unreachable': '1', 'no-route': '1/0', 'communication-prohibited': '1/1', 'address-unreachable': '1/3',
  'port-unreachable': '1/4', 'packet-too-big': '2', 'time-exceeded': '3', 'ttl-exceeded': '3', 'parameter-problem': '4',
  'echo-request': '128', ping: '128', 'echo-reply': '129', pong: '129', 'router-solicitation': '133',
  'router-advertisement': '134', 'neighbour-solicitation': '135', 'neighbor-solicitation': '135',
  'neighbour-advertisement': '136', 'neighbor-advertisement': '136', redirect: '137',
};

function canonicalIcmpType(type: string, v6: boolean): string {
  return (v6 ? icmpv6Types : icmpTypes)[type.toLowerCase()] ?? type;
}
