/** Values in the forms iptables-save 1.8 prints them: the canonical rendering of a rule. Pure. */

const tcpFlagOrder = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];

/** iptables-save lists TCP flags in the kernel's bit order, ALL expanded, and an empty set as NONE. */
export function canonicalTcpFlags(flags: readonly string[]): string {
  const named = new Set(flags.flatMap((flag) => (flag.toUpperCase() === 'ALL' ? tcpFlagOrder : [flag.toUpperCase()])));
  const ordered = tcpFlagOrder.filter((flag) => named.has(flag));
  return ordered.length === 0 ? 'NONE' : ordered.join(',');
}

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

export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.map(Number);
}

export function parseIpv6(text: string): number[] | undefined {
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
export function formatIpv6(words: readonly number[]): string {
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
  // inet_ntop writes IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses in dotted form.
  if (bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))) {
    const low = (words[6] ?? 0) * 65536 + (words[7] ?? 0);
    const dotted = [24, 16, 8, 0].map((shift) => Math.floor(low / 2 ** shift) % 256).join('.');
    return `::${bestLength === 5 ? 'ffff:' : ''}${dotted}`;
  }
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function contiguousOnes(words: readonly number[], width: number): number | undefined {
  const bits = words.map((word) => word.toString(2).padStart(width, '0')).join('');
  const match = /^(1*)0*$/.exec(bits);
  return match?.[1]?.length;
}

const stateOrder = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

/** Connection states in the order the conntrack and state matches print them. */
export function canonicalStates(states: string): string {
  const wanted = new Set(states.split(',').map((state) => state.trim().toUpperCase()));
  return [...stateOrder.filter((state) => wanted.has(state)), ...[...wanted].filter((state) => !stateOrder.includes(state))].join(',');
}

/**
 * Well-known service names, as Debian's /etc/services has them. iptables resolves names on the target and
 * saves numbers; a name outside this list keeps its form, and presence then rests on `iptables -C` alone.
 */
const services: Readonly<Record<string, string>> = {
  ftp: '21', ssh: '22', telnet: '23', smtp: '25', domain: '53', bootps: '67', bootpc: '68', tftp: '69', http: '80',
  kerberos: '88', pop3: '110', ntp: '123', snmp: '161', bgp: '179', ldap: '389', https: '443', 'microsoft-ds': '445',
  syslog: '514', submission: '587', ipp: '631', ldaps: '636', rsync: '873', imaps: '993', pop3s: '995', openvpn: '1194',
  nfs: '2049', mysql: '3306', sip: '5060', postgresql: '5432', redis: '6379', 'http-alt': '8080', 'zabbix-agent': '10050',
};

/** `ssh` → `22`, `http:https` → `80:443`, lists item by item. */
export function canonicalPorts(ports: string): string {
  return ports
    .split(',')
    .map((range) => range.split(':').map((port) => services[port.toLowerCase()] ?? port).join(':'))
    .join(',');
}

export function canonicalLimit(limit: string): string {
  const match = /^(\d+)\/(s|sec|second|m|min|minute|h|hour|d|day)$/i.exec(limit.trim());
  if (match === null) return limit;
  const unit = (match[2] ?? '').toLowerCase()[0];
  const names: Readonly<Record<string, string>> = { s: 'sec', m: 'min', h: 'hour', d: 'day' };
  return `${match[1] ?? ''}/${names[unit ?? 's'] ?? 'sec'}`;
}

const logLevels: Readonly<Record<string, string>> = { emerg: '0', alert: '1', crit: '2', error: '3', err: '3', warning: '4', warn: '4', notice: '5', info: '6', debug: '7' };

export function canonicalLogLevel(level: string): string {
  return logLevels[level.toLowerCase()] ?? level;
}

const rejectAliases: Readonly<Record<string, string>> = {
  'net-unreach': 'icmp-net-unreachable', 'host-unreach': 'icmp-host-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable', 'net-prohib': 'icmp-net-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited', 'tcp-rst': 'tcp-reset',
};

export function canonicalReject(value: string): string {
  return rejectAliases[value] ?? value;
}

export const dscpClasses: Readonly<Record<string, number>> = {
  CS0: 0, CS1: 8, CS2: 16, CS3: 24, CS4: 32, CS5: 40, CS6: 48, CS7: 56, BE: 0, EF: 46,
  AF11: 10, AF12: 12, AF13: 14, AF21: 18, AF22: 20, AF23: 22, AF31: 26, AF32: 28, AF33: 30, AF41: 34, AF42: 36, AF43: 38,
};

export function dscpHex(value: number): string {
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

export function canonicalIcmpType(type: string, v6: boolean): string {
  return (v6 ? icmpv6Types : icmpTypes)[type.toLowerCase()] ?? type;
}
