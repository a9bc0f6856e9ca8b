import { describe, expect, it } from 'vitest';
import { ruleSpec } from '../../../modules/iptables_rule/args.js';
import { canonicalAddress, canonicalPorts, canonicalTcpFlags } from '../../../modules/iptables_rule/canonical.js';

describe('canonical forms (expected values are what ip6tables-save 1.8.9 printed for the same input)', () => {
  it.each([
    ['10.0.0.1', false, '10.0.0.1/32'],
    ['10.0.0.7/24', false, '10.0.0.0/24'],
    ['10.1.2.3/255.255.0.0', false, '10.1.0.0/16'],
    ['10.1.2.3/255.0.255.0', false, '10.1.2.3/255.0.255.0'],
    ['0.0.0.0/0', false, undefined],
    ['db1.example.com', false, 'db1.example.com'],
    ['2001:DB8:0:0:0:0:0:1', true, '2001:db8::1/128'],
    ['2001:db8:0:0:1:0:0:1', true, '2001:db8::1:0:0:1/128'],
    ['fe80::1:2/64', true, 'fe80::/64'],
    ['::ffff:10.0.0.1', true, '::ffff:10.0.0.1/128'],
    ['::ffff:a00:1', true, '::ffff:10.0.0.1/128'],
    ['2001:db8:0:1:1:1:1:1', true, '2001:db8:0:1:1:1:1:1/128'],
    ['::1', true, '::1/128'],
    ['::', true, '::/128'],
    ['2001:db8:1:2:3:4:5:6', true, '2001:db8:1:2:3:4:5:6/128'],
  ])('address %s → %s', (address, v6, expected) => {
    expect(canonicalAddress(address, v6)).toBe(expected);
  });

  it('ports by service name, ranges and lists', () => {
    expect(canonicalPorts('ssh')).toBe('22');
    expect(canonicalPorts('http:https')).toBe('80:443');
    expect(canonicalPorts('80,https,8000:8080,unknown-svc')).toBe('80,443,8000:8080,unknown-svc');
  });

  it('tcp flags in kernel order', () => {
    expect(canonicalTcpFlags(['ACK', 'SYN'])).toBe('SYN,ACK');
    expect(canonicalTcpFlags(['ALL'])).toBe('FIN,SYN,RST,PSH,ACK,URG');
    expect(canonicalTcpFlags([])).toBe('NONE');
  });

  it('argv and canonical rendering differ only in values, never in order', () => {
    const params = { source: '! 10.0.0.7/8', protocol: '6', destination_port: 'ssh', comment: 'a b', ctstate: ['new'], jump: 'ACCEPT' };
    expect(ruleSpec(params, false)).toEqual(['!', '-s', '10.0.0.7/8', '-p', '6', '-m', 'tcp', '--dport', 'ssh', '-m', 'conntrack', '--ctstate', 'new', '-m', 'comment', '--comment', 'a b', '-j', 'ACCEPT']);
    expect(ruleSpec(params, true)).toEqual(['!', '-s', '10.0.0.0/8', '-p', 'tcp', '-m', 'tcp', '--dport', '22', '-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'a b', '-j', 'ACCEPT']);
  });
});
