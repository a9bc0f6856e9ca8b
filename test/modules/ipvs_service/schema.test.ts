import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validateIpvsService } from '../../../modules/ipvs_service/validate.js';
import type { IpvsServiceParams } from '../../../modules/ipvs_service/spec.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'schemas', 'modules', 'ipvs_service.json'), 'utf8')) as {
  examples: unknown[];
  allOf: { description?: string }[];
  properties: Record<string, { description?: string }>;
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('ipvs_service schema: ipvsadm values, cross-field rules', () => {
  it('documents every property and rule, and its examples validate (schema and module rules)', () => {
    for (const [name, property] of Object.entries(schema.properties)) expect(property.description, name).toBeTruthy();
    for (const rule of schema.allOf) expect(rule.description).toBeTruthy();
    for (const example of schema.examples) {
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
      expect(validateIpvsService(example as IpvsServiceParams)).toEqual([]);
    }
  });

  it.each([
    ['a tcp service', { address: '10.0.0.1', port: 80 }],
    ['udp with one_packet', { protocol: 'udp', address: '10.0.0.1', port: 53, one_packet: true }],
    ['fwmark with one_packet', { fwmark: 3, one_packet: true }],
    ['protocol fwmark spelt out', { protocol: 'fwmark', fwmark: 3 }],
    ['sctp', { protocol: 'sctp', address: '10.0.0.1', port: 3868 }],
    ['an IPv6 address', { address: '2001:db8::1', port: 443 }],
    ['an IPv4-mapped IPv6 address', { address: '::ffff:10.0.0.1', port: 443 }],
    ['port 0 with persistence', { address: '10.0.0.1', port: 0, persistence: 60 }],
    ['persistence true', { address: '10.0.0.1', port: 0, persistence: true }],
    ['a netmask as a prefix', { address: '10.0.0.1', port: 80, persistence: 60, persistence_netmask: 24 }],
    ['sh flags with sh', { address: '10.0.0.1', port: 80, scheduler: 'sh', sched_flags: ['sh-fallback', 'sh-port'] }],
    ['mh flags with mh', { address: '10.0.0.1', port: 80, scheduler: 'mh', sched_flags: ['mh-port'] }],
    ['state absent without real servers', { address: '10.0.0.1', port: 80, state: 'absent' }],
    ['a real server with everything', { address: '10.0.0.1', port: 80, real_servers: [{ address: '10.0.1.1', port: 8080, forwarding: 'nat', weight: 0, upper_threshold: 100, lower_threshold: 50 }] }],
  ])('accepts %s', (_name, params) => {
    expect(validate(params), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['no address', { port: 80 }],
    ['no port', { address: '10.0.0.1' }],
    ['protocol fwmark without fwmark', { protocol: 'fwmark' }],
    ['fwmark with tcp', { protocol: 'tcp', fwmark: 3 }],
    ['fwmark and address', { fwmark: 3, address: '10.0.0.1' }],
    ['fwmark and port', { fwmark: 3, port: 80 }],
    ['ipv6 with an address', { address: '10.0.0.1', port: 80, ipv6: true }],
    ['fwmark 0', { fwmark: 0 }],
    ['port 0 without persistence', { address: '10.0.0.1', port: 0 }],
    ['port 0 with persistence false', { address: '10.0.0.1', port: 0, persistence: false }],
    ['a port over 65535', { address: '10.0.0.1', port: 65536 }],
    ['one_packet on tcp', { address: '10.0.0.1', port: 80, one_packet: true }],
    ['one_packet on sctp', { protocol: 'sctp', address: '10.0.0.1', port: 80, one_packet: true }],
    ['an unknown scheduler', { address: '10.0.0.1', port: 80, scheduler: 'fastest' }],
    ['sh flags without sh', { address: '10.0.0.1', port: 80, sched_flags: ['sh-port'] }],
    ['mh flags with sh', { address: '10.0.0.1', port: 80, scheduler: 'sh', sched_flags: ['mh-port'] }],
    ['an unknown flag', { address: '10.0.0.1', port: 80, scheduler: 'sh', sched_flags: ['sh-all'] }],
    ['persistence 0', { address: '10.0.0.1', port: 80, persistence: 0 }],
    ['persistence over 31 days', { address: '10.0.0.1', port: 80, persistence: 2678401 }],
    ['a netmask without persistence', { address: '10.0.0.1', port: 80, persistence_netmask: 24 }],
    ['a bad netmask', { address: '10.0.0.1', port: 80, persistence: 60, persistence_netmask: '255.255.256.0' }],
    ['a bad IPv4 address', { address: '10.0.0.256', port: 80 }],
    ['an IPv4 address with leading zeros (octal to inet_aton)', { address: '010.0.0.1', port: 80 }],
    ['a host name', { address: 'lb.example.com', port: 80 }],
    ['an address with a port', { address: '10.0.0.1:80', port: 80 }],
    ['a bad IPv6 address', { address: '2001:db8:::1', port: 80 }],
    ['a CIDR', { address: '10.0.0.0/24', port: 80 }],
    ['a bad real server address', { address: '10.0.0.1', port: 80, real_servers: [{ address: '10.0.1' }] }],
    ['a real server without address', { address: '10.0.0.1', port: 80, real_servers: [{ port: 80 }] }],
    ['an unknown forwarding method', { address: '10.0.0.1', port: 80, real_servers: [{ address: '10.0.1.1', forwarding: 'masq' }] }],
    ['a negative weight', { address: '10.0.0.1', port: 80, real_servers: [{ address: '10.0.1.1', weight: -1 }] }],
    ['an unknown real server key', { address: '10.0.0.1', port: 80, real_servers: [{ address: '10.0.1.1', wieght: 2 }] }],
    ['an unknown option', { address: '10.0.0.1', port: 80, timeout: 5 }],
  ])('refuses %s', (_name, params) => {
    expect(validate(params)).toBe(false);
  });
});

describe('ipvs_service rules that compare values (ModuleDefinition.validate)', () => {
  it('refuses a dr or tunnel real server on another port than the service, at that port', () => {
    const params: IpvsServiceParams = { address: '10.0.0.1', port: 80, real_servers: [{ address: '10.0.1.1', port: 80 }, { address: '10.0.1.2', port: 8080 }, { address: '10.0.1.3', port: 8080, forwarding: 'tunnel' }, { address: '10.0.1.4', port: 8080, forwarding: 'nat' }] };
    const problems = validateIpvsService(params);
    expect(problems.map((problem) => problem.path)).toEqual(['/real_servers/1/port', '/real_servers/2/port']);
    expect(problems[0]!.message).toBe('port 8080 differs from the service port 80: with dr forwarding a real server receives the service port (ipvsadm would silently use 80); use forwarding: nat to map ports, or leave port out');
  });

  it('lets fwmark real servers have any port', () => {
    expect(validateIpvsService({ fwmark: 5, real_servers: [{ address: '10.0.1.1', port: 8080 }] })).toEqual([]);
  });

  it('refuses a real server listed twice, as ipvsadm would see it', () => {
    const problems = validateIpvsService({ address: '2001:db8::1', port: 80, real_servers: [{ address: '2001:db8::10' }, { address: '2001:DB8:0::10', port: 80 }] });
    expect(problems).toEqual([{ path: '/real_servers/1/address', message: 'real server [2001:db8::10]:80 is listed twice (first as real_servers[0])' }]);
  });

  it('refuses a real server of the other address family unless tunnelled', () => {
    expect(validateIpvsService({ address: '10.0.0.1', port: 80, real_servers: [{ address: '2001:db8::10' }] }).map((problem) => problem.path)).toEqual(['/real_servers/0/address']);
    expect(validateIpvsService({ address: '10.0.0.1', port: 80, real_servers: [{ address: '2001:db8::10', forwarding: 'tunnel' }] })).toEqual([]);
    expect(validateIpvsService({ fwmark: 1, ipv6: true, real_servers: [{ address: '10.0.0.2' }] }).map((problem) => problem.path)).toEqual(['/real_servers/0/address']);
  });

  it('checks persistence_netmask against the address family', () => {
    expect(validateIpvsService({ address: '10.0.0.1', port: 80, persistence: true, persistence_netmask: 33 }).map((problem) => problem.path)).toEqual(['/persistence_netmask']);
    expect(validateIpvsService({ address: '2001:db8::1', port: 80, persistence: true, persistence_netmask: '255.255.255.0' }).map((problem) => problem.path)).toEqual(['/persistence_netmask']);
    expect(validateIpvsService({ address: '2001:db8::1', port: 80, persistence: true, persistence_netmask: 64 })).toEqual([]);
    expect(validateIpvsService({ fwmark: 1, persistence: true, persistence_netmask: 0 })).toEqual([]);
  });
});
