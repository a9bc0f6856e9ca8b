import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseOutputMode, formatRecap, formatTimings } from '../../src/report/index.js';
import { RECAP_STATS } from './script.js';

describe('formatRecap', () => {
  it("uses Ansible's layout, hosts sorted and padded", () => {
    expect(formatRecap(RECAP_STATS, false)).toBe(
      [
        'db1.example.internal       : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0',
        'web1                       : ok=4    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0',
        'web2                       : ok=2    changed=1    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0',
        '',
      ].join('\n'),
    );
  });

  it('widens the host column for long names', () => {
    const stats = { 'a-very-long-host-name.example.internal': RECAP_STATS.web1!, b: RECAP_STATS.web1! };
    const [first, second] = formatRecap(stats, false).split('\n');
    expect(first!.indexOf(' : ')).toBe(second!.indexOf(' : '));
  });

  it('colours hosts and non-zero counts, keeping columns aligned', () => {
    const coloured = formatRecap(RECAP_STATS, true);
    expect(coloured).toContain('\u001b[31mweb2\u001b[39m');
    expect(coloured).toContain('\u001b[33mchanged=1   \u001b[39m');
    expect(stripVTControlCharacters(coloured)).toBe(formatRecap(RECAP_STATS, false));
  });

  it('is empty without hosts', () => {
    expect(formatRecap({}, false)).toBe('');
  });
});

describe('formatTimings', () => {
  it('lists the slowest tasks first, like profile_tasks', () => {
    const timings = Array.from({ length: 25 }, (_, i) => ({ task: `task ${i}`, source: `site.yml:${i}:3`, durationMs: i * 10 }));
    const lines = formatTimings(timings).trimEnd().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe(`task 24 (site.yml:24:3) ${'-'.repeat(49)} 0.24s`);
    expect(lines.every((line) => line.length === 79)).toBe(true);
  });
});

describe('chooseOutputMode', () => {
  it('uses the live view only on a terminal', () => {
    expect(chooseOutputMode(undefined, true)).toBe('tty');
    expect(chooseOutputMode(undefined, false)).toBe('plain');
    expect(chooseOutputMode('tty', false)).toBe('plain');
    expect(chooseOutputMode('tty', true)).toBe('tty');
    expect(chooseOutputMode('plain', true)).toBe('plain');
    expect(chooseOutputMode('json', true)).toBe('json');
    expect(chooseOutputMode('json', false)).toBe('json');
  });
});
