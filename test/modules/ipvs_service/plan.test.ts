import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change, FileDiff, Plan } from '../../../src/module/contract.js';
import { parseIpvsSave, parseIpvsThresholds, serviceId, withThresholds } from '../../../modules/ipvs_service/parse.js';
import { planIpvsService } from '../../../modules/ipvs_service/plan.js';
import type { IpvsState } from '../../../modules/ipvs_service/plan.js';
import { serviceKeyOf } from '../../../modules/ipvs_service/spec.js';
import type { IpvsServiceParams } from '../../../modules/ipvs_service/spec.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

/** The state gather would read for params from a save text (and, optionally, a thresholds listing). */
function stateFrom(params: IpvsServiceParams, save: string, thresholds = ''): IpvsState {
  const service = parseIpvsSave(save).find((candidate) => serviceId(candidate) === serviceId(serviceKeyOf(params)));
  return { available: true, service: service === undefined ? undefined : withThresholds(service, parseIpvsThresholds(thresholds)) };
}

const commands = (plan: Plan) => plan.changes.map((change: Change) => (change.kind === 'command' ? change.argv.join(' ') : change.kind));
const diffOf = (plan: Plan) => plan.diff as FileDiff;

/** The kernel after a plan, as the next gather would see it: the plan's own after-lines read back. */
function kernelAfter(plan: Plan): string {
  return diffOf(plan).after.replace(/ -x \d+| -y \d+/g, '');
}

const web: IpvsServiceParams = {
  address: '10.0.0.100',
  port: 80,
  scheduler: 'rr',
  real_servers: [
    { address: '10.0.1.12', port: 8080, forwarding: 'nat' },
    { address: '10.0.1.11', port: 8080, forwarding: 'nat', weight: 2 },
  ],
};

describe('ipvs_service plan: state in, ipvsadm commands out', () => {
  it('creates a missing service, then its real servers in ipvsadm order', () => {
    const plan = planIpvsService(web, { available: true });
    expect(commands(plan)).toEqual([
      'ipvsadm -A -t 10.0.0.100:80 -s rr',
      'ipvsadm -a -t 10.0.0.100:80 -r 10.0.1.11:8080 -m -w 2',
      'ipvsadm -a -t 10.0.0.100:80 -r 10.0.1.12:8080 -m -w 1',
    ]);
    expect(diffOf(plan)).toEqual({
      path: 'ipvsadm -S -n: tcp 10.0.0.100:80',
      before: '',
      after: '-A -t 10.0.0.100:80 -s rr\n-a -t 10.0.0.100:80 -r 10.0.1.11:8080 -m -w 2\n-a -t 10.0.0.100:80 -r 10.0.1.12:8080 -m -w 1\n',
    });
    expect(plan.result).toMatchObject({
      state: 'present',
      service: { protocol: 'tcp', address: '10.0.0.100', port: 80, scheduler: 'rr', persistence: false, one_packet: false },
      real_servers: [
        { address: '10.0.1.11', port: 8080, forwarding: 'nat', weight: 2, upper_threshold: 0, lower_threshold: 0 },
        { address: '10.0.1.12', port: 8080, forwarding: 'nat', weight: 1 },
      ],
    });
  });

  it('changes nothing once the kernel holds the service (ok, with the reason)', () => {
    const created = planIpvsService(web, { available: true });
    const again = planIpvsService(web, stateFrom(web, kernelAfter(created)));
    expect(again.changes).toEqual([]);
    expect(again.diff).toBeUndefined();
    expect(again.noopReason).toBe('IPVS service tcp 10.0.0.100:80 is as specified (2 real server(s))');
  });

  it('applies defaults as ipvsadm does: wlc, dr, weight 1, the service port', () => {
    const params: IpvsServiceParams = { address: '10.0.0.1', port: 443, real_servers: [{ address: '10.0.1.1' }] };
    expect(commands(planIpvsService(params, { available: true }))).toEqual(['ipvsadm -A -t 10.0.0.1:443 -s wlc', 'ipvsadm -a -t 10.0.0.1:443 -r 10.0.1.1:443 -g -w 1']);
  });

  it('edits a changed scheduler with -E and the FULL service spec (-E resets what it is not given)', () => {
    const params: IpvsServiceParams = { address: '10.0.0.2', port: 443, scheduler: 'lc', persistence: 600, persistence_netmask: 24, real_servers: [{ address: '10.1.1.5', weight: 2 }, { address: '10.1.1.6', forwarding: 'tunnel', upper_threshold: 100, lower_threshold: 50 }] };
    const plan = planIpvsService(params, stateFrom(params, fixture('mixed.save.txt'), fixture('mixed.list-thresholds.txt')));
    expect(commands(plan)).toEqual(['ipvsadm -E -t 10.0.0.2:443 -s lc -p 600 -M 255.255.255.0']);
    expect(plan.changes[0]!.description).toBe('edit IPVS service tcp 10.0.0.2:443: scheduler wlc -> lc');
    expect(diffOf(plan).before).toContain('-A -t 10.0.0.2:443 -s wlc -p 600 -M 255.255.255.0\n');
    expect(diffOf(plan).after).toContain('-A -t 10.0.0.2:443 -s lc -p 600 -M 255.255.255.0\n');
  });

  it('edits persistence on and off, and a netmask given as a prefix compares with the dotted one', () => {
    const base: IpvsServiceParams = { address: '10.0.0.11', port: 8080, scheduler: 'sed' };
    const state = stateFrom(base, fixture('mixed.save.txt'));
    expect(planIpvsService({ ...base, persistence: 3600, persistence_netmask: 16 }, state).changes).toEqual([]);
    expect(planIpvsService({ ...base, persistence: 3600, persistence_netmask: '255.255.0.0' }, state).changes).toEqual([]);
    expect(commands(planIpvsService({ ...base, persistence: true }, state))).toEqual(['ipvsadm -E -t 10.0.0.11:8080 -s sed -p 360']);
    expect(commands(planIpvsService(base, state))).toEqual(['ipvsadm -E -t 10.0.0.11:8080 -s sed']);
    expect(planIpvsService(base, state).changes[0]!.description).toBe('edit IPVS service tcp 10.0.0.11:8080: persistence 3600 -> none, persistence_netmask 255.255.0.0 -> default');
  });

  it('edits one-packet scheduling and scheduler flags with -E', () => {
    const base: IpvsServiceParams = { protocol: 'udp', address: '10.0.0.4', port: 53, scheduler: 'sh', one_packet: true, sched_flags: ['sh-port', 'sh-fallback'], purge_real_servers: false };
    const state = stateFrom(base, fixture('mixed.save.txt'));
    expect(planIpvsService(base, state).changes).toEqual([]);
    expect(commands(planIpvsService({ ...base, one_packet: false, sched_flags: ['sh-port'] }, state))).toEqual(['ipvsadm -E -u 10.0.0.4:53 -s sh -b sh-port']);
  });

  it('edits a real server whose weight changed with -e, keeping its thresholds', () => {
    const params: IpvsServiceParams = { protocol: 'udp', address: '10.0.0.4', port: 53, scheduler: 'sh', one_packet: true, sched_flags: ['sh-fallback', 'sh-port'], real_servers: [{ address: '10.1.1.8', forwarding: 'nat', weight: 5 }, { address: '10.1.1.9', port: 5353, forwarding: 'nat', weight: 3, upper_threshold: 1000, lower_threshold: 10 }] };
    const plan = planIpvsService(params, stateFrom(params, fixture('mixed.save.txt'), fixture('mixed.list-thresholds.txt')));
    expect(commands(plan)).toEqual(['ipvsadm -e -u 10.0.0.4:53 -r 10.1.1.9:5353 -m -w 3 -x 1000 -y 10']);
    expect(plan.changes[0]!.description).toBe('edit real server 10.1.1.9:5353 of udp 10.0.0.4:53: weight 1 -> 3');
  });

  it('edits thresholds and forwarding with -e', () => {
    const params: IpvsServiceParams = { address: '10.0.0.2', port: 443, persistence: 600, persistence_netmask: '255.255.255.0', real_servers: [{ address: '10.1.1.5', weight: 2, upper_threshold: 10 }, { address: '10.1.1.6', forwarding: 'dr', upper_threshold: 100, lower_threshold: 50 }] };
    const plan = planIpvsService(params, stateFrom(params, fixture('mixed.save.txt'), fixture('mixed.list-thresholds.txt')));
    expect(commands(plan)).toEqual(['ipvsadm -e -t 10.0.0.2:443 -r 10.1.1.5:443 -g -w 2 -x 10', 'ipvsadm -e -t 10.0.0.2:443 -r 10.1.1.6:443 -g -w 1 -x 100 -y 50']);
    expect(plan.changes.map((change) => change.description)).toEqual([
      'edit real server 10.1.1.5:443 of tcp 10.0.0.2:443: upper_threshold 0 -> 10',
      'edit real server 10.1.1.6:443 of tcp 10.0.0.2:443: forwarding tunnel -> dr',
    ]);
    expect(diffOf(plan).before).toContain('-a -t 10.0.0.2:443 -r 10.1.1.6:443 -i -w 1 --tun-type ipip -x 100 -y 50\n');
  });

  it('drains with weight 0: -e, never -d', () => {
    const params: IpvsServiceParams = { ...web, real_servers: [{ address: '10.0.1.11', port: 8080, forwarding: 'nat', weight: 0 }, { address: '10.0.1.12', port: 8080, forwarding: 'nat' }] };
    const plan = planIpvsService(params, stateFrom(params, kernelAfter(planIpvsService(web, { available: true }))));
    expect(commands(plan)).toEqual(['ipvsadm -e -t 10.0.0.100:80 -r 10.0.1.11:8080 -m -w 0']);
    expect(plan.changes[0]!.description).toContain('weight 2 -> 0 (drain)');
    expect(plan.result).toMatchObject({ real_servers: [{ address: '10.0.1.11', weight: 0 }, { address: '10.0.1.12', weight: 1 }] });
  });

  it('purges real servers not listed, after adding the new ones; purge_real_servers: false keeps them', () => {
    const params: IpvsServiceParams = { address: '10.0.0.1', port: 80, scheduler: 'rr', real_servers: [{ address: '10.1.1.2', forwarding: 'nat', weight: 3 }, { address: '10.1.1.20', forwarding: 'nat' }] };
    const state = stateFrom(params, fixture('mixed.save.txt'));
    const purged = planIpvsService(params, state);
    expect(commands(purged)).toEqual([
      'ipvsadm -a -t 10.0.0.1:80 -r 10.1.1.20:80 -m -w 1',
      'ipvsadm -d -t 10.0.0.1:80 -r 10.1.1.3:8080',
      'ipvsadm -d -t 10.0.0.1:80 -r 10.1.1.4:80',
    ]);
    expect(diffOf(purged).after).toBe('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 3\n-a -t 10.0.0.1:80 -r 10.1.1.20:80 -m -w 1\n');
    const kept = planIpvsService({ ...params, purge_real_servers: false }, state);
    expect(commands(kept)).toEqual(['ipvsadm -a -t 10.0.0.1:80 -r 10.1.1.20:80 -m -w 1']);
    expect((kept.result?.real_servers as unknown[]).length).toBe(4);
    expect(planIpvsService({ ...params, purge_real_servers: false }, stateFrom(params, kernelAfter(kept))).changes).toEqual([]);
  });

  it('orders a mixed change: -E, then adds, then edits, then removals', () => {
    const params: IpvsServiceParams = { address: '10.0.0.1', port: 80, scheduler: 'wrr', real_servers: [{ address: '10.1.1.9', forwarding: 'nat' }, { address: '10.1.1.2', forwarding: 'nat', weight: 1 }] };
    expect(commands(planIpvsService(params, stateFrom(params, fixture('mixed.save.txt'))))).toEqual([
      'ipvsadm -E -t 10.0.0.1:80 -s wrr',
      'ipvsadm -a -t 10.0.0.1:80 -r 10.1.1.9:80 -m -w 1',
      'ipvsadm -e -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 1',
      'ipvsadm -d -t 10.0.0.1:80 -r 10.1.1.3:8080',
      'ipvsadm -d -t 10.0.0.1:80 -r 10.1.1.4:80',
    ]);
  });

  it('deletes an existing service with state absent, and is ok when it is already gone', () => {
    const params: IpvsServiceParams = { address: '10.0.0.1', port: 80, state: 'absent' };
    const plan = planIpvsService(params, stateFrom(params, fixture('mixed.save.txt')));
    expect(commands(plan)).toEqual(['ipvsadm -D -t 10.0.0.1:80']);
    expect(diffOf(plan).after).toBe('');
    expect(diffOf(plan).before.split('\n')[0]).toBe('-A -t 10.0.0.1:80 -s rr');
    expect(plan.result).toMatchObject({ state: 'absent', service: null, real_servers: [] });
    const gone = planIpvsService(params, stateFrom(params, fixture('empty.save.txt')));
    expect(gone.changes).toEqual([]);
    expect(gone.noopReason).toBe('IPVS service tcp 10.0.0.1:80 is absent');
    expect(planIpvsService(params, { available: false, unavailableReason: 'x' }).changes).toEqual([]);
  });

  it('manages fwmark services, IPv4 and IPv6, with port 0 real servers by default', () => {
    const four: IpvsServiceParams = { fwmark: 1, scheduler: 'wrr', real_servers: [{ address: '10.1.1.10', weight: 4 }, { address: '10.1.1.11', forwarding: 'tunnel' }] };
    expect(planIpvsService(four, stateFrom(four, fixture('mixed.save.txt'))).changes).toEqual([]);
    const six: IpvsServiceParams = { fwmark: 2, ipv6: true, scheduler: 'mh', sched_flags: ['mh-fallback', 'mh-port'], real_servers: [{ address: 'FD00:1:0::10' }] };
    expect(planIpvsService(six, stateFrom(six, fixture('mixed.save.txt'))).changes).toEqual([]);
    expect(commands(planIpvsService({ fwmark: 9, ipv6: true, real_servers: [{ address: 'fd00:1::10', weight: 2 }] }, { available: true }))).toEqual([
      'ipvsadm -A -f 9 -6 -s wlc',
      'ipvsadm -a -f 9 -6 -r [fd00:1::10]:0 -g -w 2',
    ]);
  });

  it('manages IPv6 services, comparing addresses as ipvsadm prints them', () => {
    const params: IpvsServiceParams = { address: 'FD00:0000::1', port: 80, scheduler: 'rr', real_servers: [{ address: 'fd00:1:0:0::2', port: 8080, forwarding: 'nat', weight: 2 }, { address: 'fd00:1::3' }] };
    expect(planIpvsService(params, stateFrom(params, fixture('mixed.save.txt'))).changes).toEqual([]);
    expect(commands(planIpvsService({ ...params, address: 'fd00::9' }, { available: true }))).toEqual([
      'ipvsadm -A -t [fd00::9]:80 -s rr',
      'ipvsadm -a -t [fd00::9]:80 -r [fd00:1::2]:8080 -m -w 2',
      'ipvsadm -a -t [fd00::9]:80 -r [fd00:1::3]:80 -g -w 1',
    ]);
  });

  it('names udp and sctp services as ipvsadm does', () => {
    expect(commands(planIpvsService({ protocol: 'sctp', address: '10.0.0.5', port: 3868, scheduler: 'sed' }, { available: true }))).toEqual(['ipvsadm -A --sctp-service 10.0.0.5:3868 -s sed']);
    const sctp: IpvsServiceParams = { protocol: 'sctp', address: '10.0.0.5', port: 3868, scheduler: 'sed', real_servers: [{ address: '10.1.1.12', forwarding: 'nat' }] };
    expect(planIpvsService(sctp, stateFrom(sctp, fixture('mixed.save.txt'))).changes).toEqual([]);
  });

  it('is ok for every service of the kube-proxy table when asked for what it holds', () => {
    const services = parseIpvsSave(fixture('kube-proxy-300.save.txt'));
    for (const service of services) {
      const params: IpvsServiceParams = {
        protocol: service.protocol,
        address: service.address,
        port: service.port,
        scheduler: service.scheduler as IpvsServiceParams['scheduler'],
        ...(service.persistence === undefined ? {} : { persistence: service.persistence }),
        real_servers: service.realServers.map((server) => ({ address: server.address, port: server.port, forwarding: server.forwarding, weight: server.weight })),
      };
      expect(planIpvsService(params, { available: true, service }).changes, serviceId(service)).toEqual([]);
    }
  });

  it('fails clearly without IPVS, naming modprobe ip_vs and what ipvsadm said', () => {
    const plan = planIpvsService(web, { available: false, unavailableReason: "ipvsadm: Can't initialize ipvs: Protocol not available, exit 2" });
    expect(plan.changes).toEqual([]);
    expect(plan.failed).toBe(
      "IPVS is not available in this host's kernel (ipvsadm: Can't initialize ipvs: Protocol not available, exit 2). Load it with 'modprobe ip_vs' (and the scheduler's module, 'modprobe ip_vs_rr'), or set load_module: true.",
    );
  });

  it('with load_module, loads ip_vs and the scheduler module first', () => {
    const plan = planIpvsService({ ...web, load_module: true }, { available: false, unavailableReason: 'x' });
    expect(commands(plan)).toEqual([
      'modprobe -- ip_vs',
      'modprobe -- ip_vs_rr',
      'ipvsadm -A -t 10.0.0.100:80 -s rr',
      'ipvsadm -a -t 10.0.0.100:80 -r 10.0.1.11:8080 -m -w 2',
      'ipvsadm -a -t 10.0.0.100:80 -r 10.0.1.12:8080 -m -w 1',
    ]);
    // IPVS loaded: the scheduler's module only when the scheduler is new to the service.
    const state = stateFrom(web, kernelAfter(planIpvsService(web, { available: true })));
    expect(planIpvsService({ ...web, load_module: true }, state).changes).toEqual([]);
    expect(commands(planIpvsService({ ...web, scheduler: 'wlc', load_module: true }, state))).toEqual(['modprobe -- ip_vs_wlc', 'ipvsadm -E -t 10.0.0.100:80 -s wlc']);
  });

  it('resets options it does not manage (a persistence engine) with -E rather than leave them', () => {
    const params: IpvsServiceParams = { protocol: 'udp', address: '10.0.0.60', port: 5060, persistence: 360 };
    const plan = planIpvsService(params, stateFrom(params, '-A -u 10.0.0.60:5060 -s wlc -p 360 --pe sip\n'));
    expect(commands(plan)).toEqual(['ipvsadm -E -u 10.0.0.60:5060 -s wlc -p 360']);
    expect(plan.changes[0]!.description).toContain('persistence engine sip -> none');
  });
});
