import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coveredBy, editConfig, namedValues, rootfsDirectory, wantedValues } from '../../../modules/lxc_container/config.js';

const template = readFileSync(join(import.meta.dirname, 'fixtures', 'busybox-template.config'), 'utf8');
const edit = (config: Record<string, string | number | boolean | (string | number)[]>, purge: string[] = [], text = template): string =>
  editConfig(text, wantedValues(config), purge);
const linesOf = (text: string, key: string): string[] => text.split('\n').filter((line) => line.startsWith(`${key} `) || line.startsWith(`${key}=`));

describe('lxc_container config edit', () => {
  it('replaces a key in place, never adds a second line', () => {
    const after = edit({ 'lxc.net.0.type': 'empty' });
    expect(linesOf(after, 'lxc.net.0.type')).toEqual(['lxc.net.0.type = empty']);
    expect(after.split('\n').indexOf('lxc.net.0.type = empty')).toBe(template.split('\n').indexOf('lxc.net.0.type = veth'));
    expect(edit({ 'lxc.net.0.type': 'empty' }, [], after)).toBe(after);
  });

  it('leaves every other line alone, comments included', () => {
    const after = edit({ 'lxc.tty.max': 2 });
    const changed = after.split('\n').filter((line, index) => line !== template.split('\n')[index]);
    expect(changed).toEqual(['lxc.tty.max = 2']);
  });

  it('a list is a multi-valued key: its lines replace all old ones, in order; an empty list removes the key', () => {
    const mounts = ['/srv/a srv/a none bind,create=dir 0 0', '/srv/b srv/b none bind,create=dir 0 0'];
    const after = edit({ 'lxc.mount.entry': mounts });
    expect(linesOf(after, 'lxc.mount.entry')).toEqual(mounts.map((mount) => `lxc.mount.entry = ${mount}`));
    expect(edit({ 'lxc.mount.entry': mounts }, [], after)).toBe(after);
    expect(linesOf(edit({ 'lxc.mount.entry': [] }), 'lxc.mount.entry')).toEqual([]);
  });

  it('a new key goes after the last line of its group', () => {
    const after = edit({ 'lxc.net.0.ipv4.address': ['10.0.0.2/24', '10.0.0.3/24'] });
    const lines = after.split('\n');
    const flags = lines.indexOf('lxc.net.0.flags = up');
    expect(lines.slice(flags + 1, flags + 3)).toEqual(['lxc.net.0.ipv4.address = 10.0.0.2/24', 'lxc.net.0.ipv4.address = 10.0.0.3/24']);
    expect(edit({ 'lxc.environment': 'A=1' }, [], '').trim()).toBe('lxc.environment = A=1');
  });

  it('a value equal but for quotes is not rewritten; booleans are 1/0', () => {
    expect(edit({ 'lxc.uts.name': 'web1' })).toBe(template);
    expect(linesOf(edit({ 'lxc.apparmor.allow_nesting': false }), 'lxc.apparmor.allow_nesting')).toEqual(['lxc.apparmor.allow_nesting = 0']);
    expect(edit({ 'lxc.apparmor.allow_nesting': true })).toBe(template);
  });

  it('config_purge_keys removes other lines under a prefix by whole parts', () => {
    const text = 'lxc.net.0.type = veth\nlxc.net.1.type = veth\nlxc.net.1.link = br1\nlxc.net.10.type = empty\n';
    expect(edit({}, ['lxc.net.1'], text)).toBe('lxc.net.0.type = veth\nlxc.net.10.type = empty\n');
    expect(edit({ 'lxc.net.1.type': 'empty' }, ['lxc.net.1'], text)).toBe('lxc.net.0.type = veth\nlxc.net.1.type = empty\nlxc.net.10.type = empty\n');
    expect(coveredBy('lxc.net.1.link', 'lxc.net.')).toBe(true);
    expect(coveredBy('lxc.net.10', 'lxc.net.1')).toBe(false);
  });

  it('a file without a final newline that does not change keeps its bytes', () => {
    expect(edit({ 'lxc.tty.max': 5 }, [], 'lxc.tty.max = 5')).toBe('lxc.tty.max = 5');
  });

  it('namedValues: the named keys as the file holds them, shaped like the params', () => {
    expect(namedValues(template, { 'lxc.net.0.link': 'x', 'lxc.signal.halt': ['x'], 'lxc.nope': 'x' })).toEqual({
      'lxc.net.0.link': 'lxcbr0',
      'lxc.signal.halt': ['SIGUSR1'],
      'lxc.nope': null,
    });
  });

  it('rootfsDirectory reads dir: and plain paths, not other stores', () => {
    expect(rootfsDirectory(template)).toMatch(/^\/tmp\/rpx-fx\/web1\/rootfs$/);
    expect(rootfsDirectory('lxc.rootfs.path = /srv/c/rootfs\n')).toBe('/srv/c/rootfs');
    expect(rootfsDirectory('lxc.rootfs.path = overlay:/a:/b\n')).toBeUndefined();
  });
});
