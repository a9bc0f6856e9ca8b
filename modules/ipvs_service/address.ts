import { isIPv6 } from 'node:net';

/**
 * Addresses as ipvsadm prints them (glibc inet_ntop), so that what a playbook says and what
 * `ipvsadm -S -n` prints compare as strings: IPv6 lower case, the longest run of zero groups
 * (two or more, the first on a tie) written `::`, IPv4-mapped and IPv4-compatible tails dotted.
 */
export function canonicalAddress(address: string): string {
  if (!isIPv6(address)) return address;
  const words = ipv6Words(address);
  let best = { base: -1, length: 0 };
  for (let index = 0; index < 8; ) {
    if (words[index] !== 0) {
      index++;
      continue;
    }
    let end = index;
    while (end < 8 && words[end] === 0) end++;
    if (end - index > best.length) best = { base: index, length: end - index };
    index = end;
  }
  if (best.length < 2) best = { base: -1, length: 0 };
  const dottedTail = best.base === 0 && (best.length === 6 || (best.length === 5 && words[5] === 0xffff));
  let text = '';
  for (let index = 0; index < 8; index++) {
    if (index === best.base) {
      text += index === 0 ? '::' : ':';
      index += best.length - 1;
      continue;
    }
    if (dottedTail && index === 6) {
      text += `${words[6]! >> 8}.${words[6]! & 0xff}.${words[7]! >> 8}.${words[7]! & 0xff}`;
      break;
    }
    text += words[index]!.toString(16);
    if (index < 7) text += ':';
  }
  return text;
}

/** The eight 16-bit groups of a valid IPv6 address. */
export function ipv6Words(address: string): number[] {
  // A dotted IPv4 tail is two groups: rewrite it as such, then every part is hexadecimal.
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_all, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  if (rest === undefined) return parse(head);
  const left = parse(head);
  const right = parse(rest);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

export function isIpv6Address(address: string): boolean {
  return isIPv6(address);
}

/** `addr:port`, or `[addr]:port` for IPv6: how ipvsadm writes and reads a service or real server. */
export function hostPort(address: string, port: number): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Splits ipvsadm's `addr:port` / `[addr]:port`; undefined when it is neither. */
export function splitHostPort(text: string): { address: string; port: number } | undefined {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (match === null) return undefined;
  return { address: match[1]!, port: Number(match[2]) };
}

/** An IPv4 prefix length as the dotted netmask ipvsadm prints (inet_ntoa): 24 → 255.255.255.0. */
export function prefixToNetmask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}
