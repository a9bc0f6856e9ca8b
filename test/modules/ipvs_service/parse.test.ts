import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpvsParseError, parseIpvsSave, parseIpvsThresholds, realServerId, serviceId, withThresholds } from '../../../modules/ipvs_service/parse.js';
import type { IpvsService } from '../../../modules/ipvs_service/parse.js';
import { saveLines } from '../../../modules/ipvs_service/spec.js';

// Captured from ipvsadm 1.31 on Debian's 6.1 kernel in the QEMU lab VM (see test/ipvs/), never written by hand.
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

function byId(services: readonly IpvsService[], id: string): IpvsService {
  const found = services.find((service) => serviceId(service) === id);
  if (found === undefined) throw new Error(`no service ${id} in ${services.map(serviceId).join(', ')}`);
  return found;
}

describe('parseIpvsSave: ipvsadm -S -n', () => {
  const mixed = parseIpvsSave(fixture('mixed.save.txt'));

  it('reads every service and real server of the mixed table', () => {
    const text = fixture('mixed.save.txt');
    expect(mixed).toHaveLength(text.split('\n').filter((line) => line.startsWith('-A ')).length);
    expect(mixed.flatMap((service) => service.realServers)).toHaveLength(text.split('\n').filter((line) => line.startsWith('-a ')).length);
  });

  it('reads a tcp service with nat servers, their ports and weights (0 = drained)', () => {
    const service = byId(mixed, 'tcp 10.0.0.1:80');
    expect(service).toMatchObject({ protocol: 'tcp', address: '10.0.0.1', port: 80, ipv6: false, scheduler: 'rr', persistence: undefined, onePacket: false, schedFlags: [] });
    expect(service.realServers.map((server) => [server.address, server.port, server.forwarding, server.weight])).toEqual([
      ['10.1.1.2', 80, 'nat', 3],
      ['10.1.1.3', 8080, 'nat', 1],
      ['10.1.1.4', 80, 'nat', 0],
    ]);
  });

  it('reads persistence with an IPv4 netmask, and all three forwarding methods', () => {
    const service = byId(mixed, 'tcp 10.0.0.2:443');
    expect(service).toMatchObject({ scheduler: 'wlc', persistence: 600, netmask: '255.255.255.0' });
    expect(service.realServers.map((server) => server.forwarding)).toEqual(['dr', 'tunnel']);
    // --tun-type ipip is what every tunnel server is saved with: the default, not an option to manage.
    expect(service.realServers[1]!.tunnelOptions).toEqual([]);
    expect(byId(mixed, 'fwmark 1').realServers.map((server) => server.forwarding)).toEqual(['dr', 'tunnel']);
  });

  it('reads port 0 with persistence and the default timeout', () => {
    expect(byId(mixed, 'tcp 10.0.0.3:0')).toMatchObject({ port: 0, scheduler: 'lc', persistence: 360, netmask: undefined });
  });

  it('reads udp with one-packet scheduling and scheduler flags, and sctp', () => {
    expect(byId(mixed, 'udp 10.0.0.4:53')).toMatchObject({ protocol: 'udp', scheduler: 'sh', onePacket: true, schedFlags: ['sh-fallback', 'sh-port'] });
    expect(byId(mixed, 'tcp 10.0.0.13:8080')).toMatchObject({ scheduler: 'mh', schedFlags: ['mh-fallback'] });
    const sctp = byId(mixed, 'sctp 10.0.0.5:3868');
    expect(sctp).toMatchObject({ protocol: 'sctp', scheduler: 'sed' });
    expect(sctp.realServers).toHaveLength(1);
  });

  it('reads IPv6 services ([addr]:port), with an IPv6 prefix as netmask', () => {
    const web = byId(mixed, 'tcp [fd00::1]:80');
    expect(web).toMatchObject({ address: 'fd00::1', port: 80, ipv6: true });
    expect(web.realServers.map((server) => [server.address, server.port, server.forwarding])).toEqual([
      ['fd00:1::2', 8080, 'nat'],
      ['fd00:1::3', 80, 'dr'],
    ]);
    expect(byId(mixed, 'tcp [fd00::2]:443')).toMatchObject({ persistence: 120, netmask: '64' });
    expect(byId(mixed, 'udp [fd00::1]:53')).toMatchObject({ protocol: 'udp', onePacket: true });
  });

  it('reads fwmark services, IPv4 and IPv6, with port 0 real servers', () => {
    expect(byId(mixed, 'fwmark 1')).toMatchObject({ protocol: 'fwmark', fwmark: 1, ipv6: false, scheduler: 'wrr' });
    const six = byId(mixed, 'fwmark 2 ipv6');
    expect(six).toMatchObject({ fwmark: 2, ipv6: true, scheduler: 'mh', schedFlags: ['mh-fallback', 'mh-port'] });
    expect(six.realServers[0]).toMatchObject({ address: 'fd00:1::10', port: 0 });
    expect(byId(mixed, 'fwmark 3')).toMatchObject({ persistence: 300, netmask: '255.255.0.0' });
  });

  it('keeps no unknown options on any captured line', () => {
    for (const name of ['mixed.save.txt', 'kube-proxy-300.save.txt']) {
      const services = parseIpvsSave(fixture(name));
      expect(services.filter((service) => service.unknownOptions.length > 0).map(serviceId)).toEqual([]);
      expect(services.flatMap((service) => service.realServers).filter((server) => server.tunnelOptions.length > 0)).toEqual([]);
    }
  });

  it.each(['mixed.save.txt', 'kube-proxy-300.save.txt'])('writes %s back line for line as ipvsadm saved it', (name) => {
    const text = fixture(name);
    expect(parseIpvsSave(text).flatMap(saveLines).map((line) => `${line}\n`).join('')).toBe(text);
  });

  it('reads the hundreds of services kube-proxy makes', () => {
    const text = fixture('kube-proxy-300.save.txt');
    const services = parseIpvsSave(text);
    expect(services.length).toBeGreaterThanOrEqual(300);
    expect(new Set(services.map(serviceId)).size).toBe(services.length);
  });

  it('reads an empty table', () => {
    expect(parseIpvsSave(fixture('empty.save.txt'))).toEqual([]);
  });

  it('refuses lines it cannot read, naming them', () => {
    expect(() => parseIpvsSave('-X -t 10.0.0.1:80\n')).toThrow(IpvsParseError);
    expect(() => parseIpvsSave('-a -t 10.0.0.1:80 -r 10.1.1.1:80 -g -w 1\n')).toThrow(/real server of a service not listed before it/);
    expect(() => parseIpvsSave('-A -t 10.0.0.1 -s rr\n')).toThrow(/unknown virtual service/);
  });
});

describe('parseIpvsThresholds: ipvsadm -L -n --thresholds', () => {
  it('reads upper and lower thresholds per real server', () => {
    const listing = parseIpvsThresholds(fixture('mixed.list-thresholds.txt'));
    expect(listing.get('tcp 10.0.0.2:443')?.get(realServerId({ address: '10.1.1.6', port: 443 }))).toEqual({ upper: 100, lower: 50 });
    expect(listing.get('udp 10.0.0.4:53')?.get(realServerId({ address: '10.1.1.9', port: 5353 }))).toEqual({ upper: 1000, lower: 10 });
    expect(listing.get('tcp 10.0.0.1:80')?.get(realServerId({ address: '10.1.1.2', port: 80 }))).toEqual({ upper: 0, lower: 0 });
    expect(listing.get('fwmark 2 ipv6')?.get(realServerId({ address: 'fd00:1::10', port: 0 }))).toEqual({ upper: 0, lower: 0 });
    expect(listing.get('sctp 10.0.0.5:3868')?.size).toBe(1);
    expect(listing.get('tcp [fd00::1]:80')?.size).toBe(2);
  });

  it.each(['mixed', 'kube-proxy-300'])('%s: lists every service and real server that the save format has', (name) => {
    const services = parseIpvsSave(fixture(`${name}.save.txt`));
    const listing = parseIpvsThresholds(fixture(`${name}.list-thresholds.txt`));
    expect([...listing.keys()].sort()).toEqual(services.map(serviceId).sort());
    for (const service of services) expect([...listing.get(serviceId(service))!.keys()].sort()).toEqual(service.realServers.map(realServerId).sort());
  });

  it('fills the thresholds into the saved service', () => {
    const service = withThresholds(byId(parseIpvsSave(fixture('mixed.save.txt')), 'udp 10.0.0.4:53'), parseIpvsThresholds(fixture('mixed.list-thresholds.txt')));
    expect(service.realServers.map((server) => [server.port, server.upperThreshold, server.lowerThreshold])).toEqual([
      [53, 0, 0],
      [5353, 1000, 10],
    ]);
    expect(saveLines(service)).toEqual(['-A -u 10.0.0.4:53 -s sh -o -b sh-fallback,sh-port', '-a -u 10.0.0.4:53 -r 10.1.1.8:53 -m -w 5', '-a -u 10.0.0.4:53 -r 10.1.1.9:5353 -m -w 1 -x 1000 -y 10']);
  });

  it('reads an empty listing', () => {
    expect(parseIpvsThresholds(fixture('empty.list-thresholds.txt')).size).toBe(0);
  });
});
