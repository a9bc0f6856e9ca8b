import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configValues, parseConfig, parseLxcInfo, parseLxcLs, parseNetDev, unquote } from '../../../modules/lxc_container/parse.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('lxc_container parsers (outputs captured from LXC 5.0.2)', () => {
  it('lxc-info of a running container: state, PID, both IPs, the veth', () => {
    expect(parseLxcInfo(fixture('lxc-info-running.txt'))).toEqual({ state: 'RUNNING', pid: 30398, ips: ['10.213.251.10', '10.213.251.11'], links: ['vethxkR7pP'] });
  });

  it('lxc-info of a stopped container: no PID, no IPs', () => {
    expect(parseLxcInfo(fixture('lxc-info-stopped.txt'))).toEqual({ state: 'STOPPED', ips: [], links: [] });
  });

  it('lxc-info of a frozen one, with and without -H', () => {
    expect(parseLxcInfo(fixture('lxc-info-frozen.txt'))).toMatchObject({ state: 'FROZEN', pid: 30398 });
    expect(parseLxcInfo(fixture('lxc-info-frozen-H.txt'))).toEqual(parseLxcInfo(fixture('lxc-info-frozen.txt')));
  });

  it('lxc-info without a State line is an error, not a guess', () => {
    expect(() => parseLxcInfo('web1 doesn\'t exist\n')).toThrow(/no State line/);
  });

  it('lxc-ls -1', () => {
    expect(parseLxcLs(fixture('lxc-ls.txt'))).toEqual(['web1']);
    expect(parseLxcLs('')).toEqual([]);
  });

  it('/proc/PID/net/dev: the interfaces of the container namespace', () => {
    expect(parseNetDev(fixture('proc-net-dev.txt'))).toEqual(['lo', 'eth0']);
  });

  it('the busybox template config: keys, comments, multi-valued keys, quotes', () => {
    const lines = parseConfig(fixture('busybox-template.config'));
    expect(lines.filter((line) => line.key === undefined).some((line) => line.text.startsWith('# Template used'))).toBe(true);
    expect(configValues(lines, 'lxc.net.0.link')).toEqual(['lxcbr0']);
    expect(configValues(lines, 'lxc.mount.entry').length).toBe(7);
    expect(configValues(lines, 'lxc.uts.name')).toEqual(['web1']);
    expect(lines.find((line) => line.key === 'lxc.uts.name')?.value).toBe('"web1"');
    expect(lines.map((line) => line.text).join('\n') + '\n').toBe(fixture('busybox-template.config'));
  });

  it('unquote strips one matching pair only', () => {
    expect(unquote('"a b"')).toBe('a b');
    expect(unquote("'x'")).toBe('x');
    expect(unquote('"x\'')).toBe('"x\'');
    expect(unquote('"')).toBe('"');
  });
});
