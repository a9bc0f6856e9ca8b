import { describe, expect, it } from 'vitest';
import type { Change, FileDiff } from '../../../src/module/contract.js';
import type { LxcContainerParams } from '../../../modules/lxc_container/commands.js';
import { planLxcContainer, transitions } from '../../../modules/lxc_container/plan.js';
import type { LxcContainerState, Settled, WantedState } from '../../../modules/lxc_container/plan.js';

const path = '/var/lib/lxc';
const config = 'lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.rootfs.path = dir:/var/lib/lxc/web1/rootfs\n';
const running: LxcContainerState = { lxcPath: path, exists: true, info: { state: 'RUNNING', pid: 42, ips: ['10.0.0.2'], links: ['vethA'] }, configText: config, interfaces: ['lo', 'eth0'] };
const stopped: LxcContainerState = { lxcPath: path, exists: true, info: { state: 'STOPPED', ips: [], links: [] }, configText: config };
const frozen: LxcContainerState = { ...running, info: { ...running.info!, state: 'FROZEN' } };
const absent: LxcContainerState = { lxcPath: path, exists: false };

/** Each change as its tool and verb: 'lxc-start', 'wait RUNNING', 'write config'… */
function steps(changes: readonly Change[]): string[] {
  return changes.map((change) => {
    if (change.kind === 'command') return change.argv[0]!;
    if (change.kind === 'put') return 'put';
    if (change.description.startsWith('wait')) return `wait ${change.args?.[2]}`;
    if (change.description.startsWith('start')) return 'lxc-start';
    if (change.description.startsWith('set')) return 'write config';
    if (change.description.startsWith('archive')) return 'archive';
    return 'command unless creates';
  });
}

const plan = (params: Partial<LxcContainerParams>, state: LxcContainerState) => planLxcContainer({ name: 'web1', ...params }, state);

describe('transitions: the fewest steps between states', () => {
  const table: [Settled, WantedState, boolean, string][] = [
    ['ABSENT', 'started', false, 'create,start'],
    ['ABSENT', 'frozen', false, 'create,start,freeze'],
    ['ABSENT', 'present', false, 'create'],
    ['ABSENT', 'absent', false, ''],
    ['STOPPED', 'started', false, 'start'],
    ['RUNNING', 'started', false, ''],
    ['FROZEN', 'started', false, 'unfreeze'],
    ['RUNNING', 'stopped', false, 'stop'],
    ['FROZEN', 'stopped', false, 'unfreeze,stop'],
    ['STOPPED', 'stopped', false, ''],
    ['RUNNING', 'frozen', false, 'freeze'],
    ['STOPPED', 'frozen', false, 'start,freeze'],
    ['RUNNING', 'restarted', false, 'stop,start'],
    ['FROZEN', 'restarted', false, 'unfreeze,stop,start'],
    ['STOPPED', 'restarted', false, 'start'],
    ['RUNNING', 'absent', false, 'stop,destroy'],
    ['FROZEN', 'absent', false, 'unfreeze,stop,destroy'],
    ['STOPPED', 'absent', false, 'destroy'],
    ['RUNNING', 'started', true, 'stop,start'],
    ['FROZEN', 'frozen', true, 'unfreeze,stop,start,freeze'],
    ['RUNNING', 'present', true, 'stop,start'],
    ['STOPPED', 'present', true, ''],
  ];
  it.each(table)('%s -> %s (restart %s): %s', (from, to, restart, expected) => {
    expect(transitions(from, to, restart).join(',')).toBe(expected);
  });
});

describe('planLxcContainer', () => {
  it('a running container that matches: no change, says why', () => {
    const result = plan({ config: { 'lxc.net.0.type': 'veth' } }, running);
    expect(result.changes).toEqual([]);
    expect(result.noopReason).toBe('container web1 runs');
    expect(result.result).toMatchObject({ name: 'web1', state: 'running', pid: 42, ips: ['10.0.0.2'], interfaces: ['lo', 'eth0'], config: { 'lxc.net.0.type': 'veth' }, restart_required: false });
  });

  it('a missing container without template fails clearly; there is no "download" default', () => {
    expect(plan({}, absent).failed).toMatch(/container web1 does not exist in \/var\/lib\/lxc and no template is given/);
  });

  it('a missing container: lxc-create with -B and template options, then config, start, wait', () => {
    const result = plan({ template: 'busybox', template_options: ['--flag'], config: { 'lxc.net.0.type': 'empty' } }, absent);
    expect(steps(result.changes)).toEqual(['lxc-create', 'write config', 'lxc-start', 'wait RUNNING']);
    expect(result.changes[0]).toMatchObject({ argv: ['lxc-create', '-P', path, '-n', 'web1', '-t', 'busybox', '-B', 'dir', '-l', 'ERROR', '--', '--flag'] });
    const diffs = result.diff as FileDiff[];
    expect(diffs[0]).toMatchObject({ before: 'state: absent\n', after: 'state: running\ntransitions: create, start\n' });
    expect(diffs[1]?.after).toContain('lxc.net.0.type = empty');
  });

  it('backing store options follow the store', () => {
    const result = plan({ template: 'busybox', backing_store: 'lvm', vg_name: 'vg0', fs_size: '2G', state: 'present' }, absent);
    expect(result.changes[0]).toMatchObject({ argv: ['lxc-create', '-P', path, '-n', 'web1', '-t', 'busybox', '-B', 'lvm', '--vgname', 'vg0', '--fssize', '2G', '-l', 'ERROR'] });
  });

  it('a config change on a running container: written, no restart, restart_required', () => {
    const result = plan({ config: { 'lxc.net.0.link': 'br0' } }, running);
    expect(steps(result.changes)).toEqual(['write config']);
    expect(result.result).toMatchObject({ restart_required: true });
    const diff = (result.diff as FileDiff[])[0]!;
    expect(diff).toMatchObject({ path: '/var/lib/lxc/web1/config' });
    expect(diff.after).toBe(config.replace('lxcbr0', 'br0'));
  });

  it('restart_on_config_change: written, then stopped and started', () => {
    const result = plan({ config: { 'lxc.net.0.link': 'br0' }, restart_on_config_change: true }, running);
    expect(steps(result.changes)).toEqual(['write config', 'lxc-stop', 'wait STOPPED', 'lxc-start', 'wait RUNNING']);
    expect(result.result).toMatchObject({ restart_required: false });
  });

  it('a config change on a stopped container needs no restart', () => {
    expect(plan({ state: 'stopped', config: { 'lxc.net.0.link': 'br0' } }, stopped).result).toMatchObject({ restart_required: false, state: 'stopped' });
  });

  it('container_command: skipped when creates exists, run when not, always without creates', () => {
    expect(plan({ container_command: 'touch /x', creates: '/x' }, { ...running, createsExists: true }).changes).toEqual([]);
    const missing = plan({ container_command: 'touch /x', creates: '/x' }, { ...running, createsExists: false });
    expect(missing.changes).toMatchObject([{ kind: 'command', argv: ['lxc-attach', '-P', path, '-n', 'web1', '--clear-env', '--set-var', expect.stringMatching(/^PATH=/), '--', '/bin/sh', '-c', 'touch /x'] }]);
    expect(steps(plan({ container_command: 'date' }, running).changes)).toEqual(['lxc-attach']);
  });

  it('container_command on a container that is not running yet checks creates itself, after the start', () => {
    expect(steps(plan({ container_command: 'touch /x', creates: '/x' }, stopped).changes)).toEqual(['lxc-start', 'wait RUNNING', 'command unless creates']);
  });

  it('container_command with state frozen runs before the freeze, also on a frozen container', () => {
    expect(steps(plan({ state: 'frozen', container_command: 'date' }, running).changes)).toEqual(['lxc-attach', 'lxc-freeze', 'wait FROZEN']);
    expect(steps(plan({ state: 'frozen', container_command: 'date' }, frozen).changes)).toEqual(['lxc-unfreeze', 'wait RUNNING', 'lxc-attach', 'lxc-freeze', 'wait FROZEN']);
    expect(plan({ state: 'frozen', container_command: 'date', creates: '/x' }, { ...frozen, createsExists: true }).changes).toEqual([]);
  });

  it('absent: archive first when asked, then stop and destroy', () => {
    const result = plan({ state: 'absent', archive: { path: '/srv/web1.tar.gz' } }, running);
    expect(steps(result.changes)).toEqual(['archive', 'lxc-stop', 'wait STOPPED', 'lxc-destroy']);
    expect(result.changes[0]).toMatchObject({ args: ['/var/lib/lxc/web1/rootfs', '/srv/web1.tar.gz', '-z'] });
    expect(plan({ state: 'absent' }, absent).noopReason).toBe('container web1 does not exist');
  });

  it('archive is written only when its path does not exist', () => {
    expect(plan({ archive: { path: '/a.tar', compression: 'none' } }, { ...running, archiveExists: true }).changes).toEqual([]);
    expect(plan({ archive: { path: '/a.tar', compression: 'bzip2' } }, { ...running, archiveExists: false }).changes[0]).toMatchObject({ args: ['/var/lib/lxc/web1/rootfs', '/a.tar', '-j'] });
    expect(plan({ archive: { path: '/a.tar' } }, { ...running, configText: 'lxc.rootfs.path = overlay:/a:/b\n', archiveExists: false }).failed).toMatch(/not a dir-backed/);
  });

  it('clone_from: lxc-copy, refused from a running source without a snapshot', () => {
    const source = { state: 'STOPPED', ips: [], links: [] };
    expect(plan({ clone_from: 'base', state: 'stopped' }, { ...absent, cloneSource: source }).changes).toMatchObject([{ argv: ['lxc-copy', '-P', path, '-n', 'base', '-N', 'web1', '-l', 'ERROR'] }]);
    expect(plan({ clone_from: 'base', clone_snapshot: true, state: 'stopped' }, { ...absent, cloneSource: { ...source, state: 'RUNNING' } }).changes[0]).toMatchObject({ argv: expect.arrayContaining(['-s']) });
    expect(plan({ clone_from: 'base' }, { ...absent, cloneSource: { ...source, state: 'RUNNING' } }).failed).toMatch(/base is RUNNING; lxc-copy copies a stopped container/);
    expect(plan({ clone_from: 'base' }, absent).failed).toMatch(/clone_from: container base does not exist/);
  });

  it('a transitional state is waited out with lxc-wait first', () => {
    expect(steps(plan({}, { ...running, info: { ...running.info!, state: 'STARTING' } }).changes)).toEqual(['wait RUNNING']);
  });

  it('the plan is pure: the same input gives the same plan', () => {
    const params = { template: 'busybox', config: { 'lxc.tty.max': 1 } };
    expect(plan(params, absent)).toEqual(plan(params, absent));
  });
});
