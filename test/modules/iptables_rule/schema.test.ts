import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'schemas', 'modules', 'iptables_rule.json'), 'utf8')) as {
  examples: unknown[];
  allOf: { description?: string }[];
  properties: Record<string, { description?: string }>;
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('iptables_rule schema: Ansible names, checked values, cross-field rules', () => {
  it('documents every property and rule, and its examples validate', () => {
    for (const [name, property] of Object.entries(schema.properties)) expect(property.description, name).toBeTruthy();
    for (const rule of schema.allOf) expect(rule.description).toBeTruthy();
    for (const example of schema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['negated source', { chain: 'INPUT', source: '!10.0.0.0/8', jump: 'DROP' }],
    ['negation with a space', { chain: 'INPUT', source: '! 10.0.0.1', jump: 'DROP' }],
    ['dotted netmask', { chain: 'INPUT', source: '10.0.0.0/255.0.0.0', jump: 'DROP' }],
    ['host name', { chain: 'INPUT', source: 'db1.example.com', jump: 'DROP' }],
    ['IPv6 network', { chain: 'INPUT', ip_version: 'ipv6', destination: '2001:db8::/32', jump: 'DROP' }],
    ['port range and service name', { chain: 'INPUT', protocol: 'tcp', destination_port: '1024:65535', source_port: 'ssh', jump: 'ACCEPT' }],
    ['wildcard interface', { chain: 'FORWARD', in_interface: 'veth+', out_interface: '!eth0', jump: 'ACCEPT' }],
    ['flush without chain', { flush: true }],
    ['policy alone', { chain: 'FORWARD', policy: 'DROP' }],
    ['TEE', { table: 'mangle', chain: 'PREROUTING', jump: 'TEE', gateway: '10.0.0.1' }],
    ['LOG', { chain: 'INPUT', jump: 'LOG', log_level: 4, log_prefix: 'x: ' }],
    ['set', { chain: 'INPUT', match_set: 'admins', match_set_flags: 'src,dst', jump: 'ACCEPT' }],
    ['confirm_timeout', { chain: 'INPUT', policy: 'DROP', confirm_timeout: 30 }],
    ['confirm_timeout as a templated string', { chain: 'INPUT', jump: 'ACCEPT', confirm_timeout: '120' }],
  ])('accepts %s', (_name, params) => {
    expect(validate(params), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['flush and policy together', { chain: 'INPUT', flush: true, policy: 'DROP' }],
    ['no chain without flush', { jump: 'ACCEPT' }],
    ['log options without jump: LOG', { chain: 'INPUT', log_prefix: 'x', jump: 'DROP' }],
    ['log_level without jump', { chain: 'INPUT', log_level: 'info' }],
    ['gateway without jump: TEE', { table: 'mangle', chain: 'PREROUTING', gateway: '10.0.0.1', jump: 'ACCEPT' }],
    ['both dscp options', { table: 'mangle', chain: 'PREROUTING', jump: 'DSCP', set_dscp_mark: 10, set_dscp_mark_class: 'EF' }],
    ['dscp without jump: DSCP', { table: 'mangle', chain: 'PREROUTING', set_dscp_mark: 10 }],
    ['jump and goto', { chain: 'INPUT', jump: 'ACCEPT', goto: 'WEB' }],
    ['rule_num with append', { chain: 'INPUT', rule_num: 2, jump: 'ACCEPT' }],
    ['position_enforced without rule_num', { chain: 'INPUT', action: 'insert', position_enforced: true, jump: 'ACCEPT' }],
    ['match_set without flags', { chain: 'INPUT', match_set: 'admins', jump: 'ACCEPT' }],
    ['a port without protocol', { chain: 'INPUT', destination_port: 22, jump: 'ACCEPT' }],
    ['syn without protocol', { chain: 'INPUT', syn: 'match', jump: 'ACCEPT' }],
    ['syn with tcp_flags', { chain: 'INPUT', protocol: 'tcp', syn: 'match', tcp_flags: { flags: ['ALL'], flags_set: ['SYN'] } }],
    ['a bad IPv4 address', { chain: 'INPUT', source: '10.0.0.256', jump: 'DROP' }],
    ['a comma list of addresses', { chain: 'INPUT', source: '10.0.0.1,10.0.0.2', jump: 'DROP' }],
    ['a prefix too long', { chain: 'INPUT', source: '10.0.0.0/33', jump: 'DROP' }],
    ['a port out of range', { chain: 'INPUT', protocol: 'tcp', destination_port: 70000, jump: 'DROP' }],
    ['a port with a space', { chain: 'INPUT', protocol: 'tcp', destination_port: '22 23', jump: 'DROP' }],
    ['an interface name too long', { chain: 'INPUT', in_interface: 'abcdefghijklmnop', jump: 'DROP' }],
    ['an interface with a slash', { chain: 'INPUT', in_interface: 'eth0/1', jump: 'DROP' }],
    ['an unknown table', { table: 'broute', chain: 'INPUT', jump: 'DROP' }],
    ['an unknown option', { chain: 'INPUT', jump: 'DROP', set_counters: '0 0' }],
    ['a log prefix over 29 characters', { chain: 'INPUT', jump: 'LOG', log_prefix: 'x'.repeat(30) }],
    ['a bad ip range', { chain: 'INPUT', src_range: '10.0.0.1', jump: 'DROP' }],
    ['confirm_timeout under 2 s', { chain: 'INPUT', jump: 'ACCEPT', confirm_timeout: 1 }],
    ['confirm_timeout over an hour', { chain: 'INPUT', jump: 'ACCEPT', confirm_timeout: '3601' }],
    ['confirm_timeout not a number', { chain: 'INPUT', jump: 'ACCEPT', confirm_timeout: '5; reboot' }],
  ])('refuses %s', (_name, params) => {
    expect(validate(params)).toBe(false);
  });
});
