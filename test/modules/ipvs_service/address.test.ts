import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalAddress, hostPort, prefixToNetmask, splitHostPort } from '../../../modules/ipvs_service/address.js';

/** glibc's inet_ntop, the function ipvsadm prints addresses with, reached through Python's socket module. */
function glibcNtop(addresses: readonly string[]): string[] {
  const script = 'import sys, socket\nfor a in sys.stdin.read().split():\n    print(socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, a)))';
  return execFileSync('python3', ['-c', script], { input: addresses.join('\n') }).toString().trim().split('\n');
}

describe('ipvs_service addresses are compared as ipvsadm prints them', () => {
  it('writes IPv6 addresses exactly as glibc inet_ntop does', () => {
    const samples = ['2001:DB8::0001', '::', '::1', '1::', '::ffff:1.2.3.4', '::1.2.3.4', '1:0:0:2:0:0:0:3', '1:0:0:2:0:0:3:4', '2001:db8:0:0:1:0:0:1', '1:2:3:4:5:6:7:8', 'fe80::', '1:0:3:4:5:6:7:8', '::ffff:0:1.2.3.4', '64:ff9b::1.2.3.4', '1::2:1.2.3.4', '0:0:0:0:0:ffff:102:304', '::0.0.0.1', '::ffff:0.0.0.0'];
    // Random groups, many zeros, so that runs of zero groups of every length and place come up.
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let i = 0; i < 2000; i++) samples.push(Array.from({ length: 8 }, () => (next(2) === 0 ? '0' : next(4) === 0 ? 'FFFF' : next(65536).toString(16))).join(':'));
    const expected = glibcNtop(samples);
    const wrong = samples.map((sample, i) => ({ sample, ours: canonicalAddress(sample), glibc: expected[i] })).filter((entry) => entry.ours !== entry.glibc);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('leaves IPv4 addresses as they are', () => {
    expect(canonicalAddress('10.0.0.1')).toBe('10.0.0.1');
  });

  it('brackets IPv6 in addr:port and splits both forms back', () => {
    expect(hostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(hostPort('2001:db8::1', 80)).toBe('[2001:db8::1]:80');
    expect(splitHostPort('[2001:db8::1]:80')).toEqual({ address: '2001:db8::1', port: 80 });
    expect(splitHostPort('10.0.0.1:0')).toEqual({ address: '10.0.0.1', port: 0 });
    expect(splitHostPort('2001:db8::1')).toBeUndefined();
  });

  it('turns prefix lengths into dotted netmasks', () => {
    expect([0, 8, 24, 25, 32].map(prefixToNetmask)).toEqual(['0.0.0.0', '255.0.0.0', '255.255.255.0', '255.255.255.128', '255.255.255.255']);
  });
});
