/** The module's parameters (Ansible's `iptables` names) and their rendering as iptables argv. Pure. */

import {
  canonicalAddress,
  canonicalIcmpType,
  canonicalLimit,
  canonicalLogLevel,
  canonicalPorts,
  canonicalProtocol,
  canonicalReject,
  canonicalStates,
  canonicalTcpFlags,
  dscpClasses,
  dscpHex,
} from './canonical.js';

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
  /** Seconds after which the target restores its saved ruleset unless the controller reconnects (confirm.ts). */
  readonly confirm_timeout?: string | number;
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
    ...option('--sport', params.source_port, (value) => norm(canonicalPorts, value)),
    ...option('--dport', params.destination_port, (value) => norm(canonicalPorts, value)),
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
  if (params.destination_ports !== undefined && params.destination_ports.length > 0) add('multiport', ['--dports', norm(canonicalPorts, params.destination_ports.join(','))]);
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
