import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressesToJoin, aliveWithTags, onlyTagsDiffer, tagArguments } from '../../modules/serf_agent/config.js';
import { addressHost, parseInfo, parseMembers, parseProbe } from '../../modules/serf_agent/parse.js';
import { planSerfAgent } from '../../modules/serf_agent/plan.js';
import type { SerfAgentState } from '../../modules/serf_agent/plan.js';
import { encodedEventSize, planSerfEvent } from '../../modules/serf_event/plan.js';
import { serfHosts } from '../../src/inventory/serf-members.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

const supervision = { systemd: false, serf: '/usr/bin/serf', startStopDaemon: '/sbin/start-stop-daemon', configFile: '/t/serf.json', pidFile: '/t/serf.pid', logFile: '/t/serf.log', serviceName: 'serf' };
const config = { node_name: 'n1', bind: '127.0.0.1:7946', tags: { role: 'web' } };
const members = parseMembers(fixture('members.json'));

function running(overrides: Partial<SerfAgentState> = {}): SerfAgentState {
  return { supervision, pid: 42, configText: `${JSON.stringify(config, null, 2)}\n`, desiredConfig: config, agent: { name: 'a', tags: { role: 'lb' }, members }, ...overrides };
}

describe('serf output parsers (captured from serf 0.8.2-dev)', () => {
  it('parses members and info', () => {
    expect(members.map((member) => [member.name, member.addr, member.port, member.status])).toEqual([
      ['a', '127.0.0.1:27946', 27946, 'alive'],
      ['b', '127.0.0.1:27947', 27947, 'alive'],
    ]);
    expect(members[1]!.tags).toEqual({ role: 'web', zone: 'a' });
    expect(parseInfo(fixture('info.json'))).toEqual({ name: 'a', tags: { role: 'lb' } });
    expect(addressHost('[::1]:7946')).toBe('::1');
    expect(addressHost('10.0.0.1:7946')).toBe('10.0.0.1');
  });

  it('parses the gather probe, config text included', () => {
    const probe = parseProbe('systemd=no\nserf=/usr/bin/serf\nssd=/sbin/start-stop-daemon\npid=123\nconfig=present\n---\n{"a": 1}\n');
    expect(probe).toEqual({ systemd: false, serf: '/usr/bin/serf', startStopDaemon: '/sbin/start-stop-daemon', pid: 123, configText: '{"a": 1}\n' });
    expect(parseProbe('systemd=yes\nserf=\nssd=\npid=\nconfig=absent\n')).toEqual({ systemd: true, serf: '', startStopDaemon: '' });
  });

  it('parses 1,000 members well under a second', () => {
    const many = { members: Array.from({ length: 1000 }, (_, i) => ({ name: `node-${i}`, addr: `10.0.${i >> 8}.${i & 255}:7946`, port: 7946, tags: { role: i % 3 === 0 ? 'web' : 'db', zone: `z${i % 4}` }, status: i % 10 === 0 ? 'failed' : 'alive', protocol: { max: 5, min: 2, version: 5 } })) };
    const json = JSON.stringify(many, null, 2);
    const started = performance.now();
    const hosts = serfHosts(parseMembers(json), { statuses: ['alive'], groupByTags: ['role', 'zone'], groupName: '{{tag}}_{{value}}', vars: {} });
    const ms = performance.now() - started;
    console.log(`serf inventory: parsed and grouped 1,000 members (${json.length} bytes of JSON) in ${ms.toFixed(1)} ms`);
    expect(hosts.length).toBe(900);
    expect(hosts[1]!.name).toBe('node-2');
    expect(hosts[1]!.groups).toEqual(['role_db', 'zone_z2']);
  });
});

describe('serf_agent plan', () => {
  it('changes nothing when the file matches and the agent runs with these tags', () => {
    const plan = planSerfAgent({ config }, running({ agent: { name: 'n1', tags: { role: 'web' }, members } }));
    expect(plan.changes).toEqual([]);
  });

  it('applies a tags-only change live, without a restart', () => {
    const desired = { ...config, tags: { zone: 'b' } };
    const plan = planSerfAgent({ config: desired }, running({ desiredConfig: desired, agent: { name: 'n1', tags: { role: 'web' }, members } }));
    expect(plan.changes.map((change) => change.description)).toEqual(['write /t/serf.json', 'serf tags -set zone=b -delete role (live, no restart)']);
    expect(plan.result).toMatchObject({ restarted: false, tags_changed: true });
    expect(onlyTagsDiffer(config, desired)).toBe(true);
    expect(tagArguments({ a: '1', b: '2' }, { a: '1', b: '3', c: '4' })).toEqual(['-set', 'b=3', '-set', 'c=4']);
  });

  it('restarts on any other change, and shows the masked config diff', () => {
    const desired = { ...config, encrypt_key: 'cg8StVXbQJ0gPvMd9o7yrg8StVXbQJ0gPvMd9o7yrg0=' };
    const plan = planSerfAgent({ config: desired }, running({ desiredConfig: desired }));
    expect(plan.changes.map((change) => change.description)[1]).toMatch(/^stop the serf agent of \/t\/serf.pid \(SIGTERM\)/);
    expect(plan.changes.map((change) => change.description)[2]).toMatch(/^start serf agent/);
    expect(plan.result).toMatchObject({ restarted: true });
    const diff = JSON.stringify(plan.diff);
    expect(diff).toContain('********');
    expect(diff).not.toContain('cg8StVXbQJ0gPvMd9o7yrg8');
  });

  it('joins only when no other join address is an alive member', () => {
    expect(addressesToJoin(['127.0.0.1:27947'], members, 'a')).toEqual([]);
    expect(addressesToJoin(['127.0.0.1:27946', '127.0.0.1:9999'], members.slice(0, 1), 'a')).toEqual(['127.0.0.1:9999']);
    expect(addressesToJoin(['127.0.0.1:27946'], members, 'a')).toEqual([]);
    expect(addressesToJoin(['b'], members, 'a')).toEqual([]);
    expect(aliveWithTags(members, { role: 'web' }).map((member) => member.name)).toEqual(['b']);
  });

  it('drives the serf unit under systemd, whose config must be in /etc/serf', () => {
    const systemd = { ...supervision, systemd: true, configFile: '/etc/serf/serf.json' };
    const plan = planSerfAgent({ config }, running({ pid: undefined, supervision: systemd }));
    expect(plan.changes.map((change) => (change.kind === 'command' ? change.argv.join(' ') : change.description))).toEqual(['systemctl start serf']);
    expect(planSerfAgent({ config }, running({ pid: undefined, supervision: { ...systemd, configFile: '/t/serf.json' } })).failed).toMatch(/reads \/etc\/serf\/\*\.json/);
  });

  it('fails before anything when serf or start-stop-daemon is missing', () => {
    expect(planSerfAgent({ config }, running({ pid: undefined, supervision: { ...supervision, serf: '' } })).failed).toMatch(/apt-get install serf/);
    expect(planSerfAgent({ config }, running({ pid: undefined, supervision: { ...supervision, startStopDaemon: '' } })).failed).toMatch(/start-stop-daemon/);
  });
});

describe('serf_event plan', () => {
  it('counts the encoded size as Serf does (name foo + 479 bytes = 512 on a fresh agent, +4 for the clock)', () => {
    expect(encodedEventSize('foo', 'x'.repeat(479))).toBe(516);
    expect(planSerfEvent({ name: 'foo', payload: 'x'.repeat(475) }).failed).toBeUndefined();
    expect(planSerfEvent({ name: 'foo', payload: 'x'.repeat(480) }).failed).toMatch(/over user_event_size_limit 512: nothing was sent/);
    expect(planSerfEvent({ name: 'foo', payload: 'x'.repeat(480), user_event_size_limit: 1024 }).failed).toBeUndefined();
  });

  it('sends -coalesce=false and the token on stdin only', () => {
    const plan = planSerfEvent({ name: 'deploy', payload: 'v1', coalesce: false, rpc_addr: '127.0.0.1:7000', rpc_auth: 'sekrit' });
    const change = plan.changes[0]!;
    expect(change.kind === 'command' && change.argv.slice(-6)).toEqual(['event', '-rpc-addr=127.0.0.1:7000', '-coalesce=false', '--', 'deploy', 'v1']);
    expect(JSON.stringify(change.kind === 'command' ? change.argv : [])).not.toContain('sekrit');
    expect(change.kind === 'command' && change.stdin).toBe('sekrit\n');
  });
});
