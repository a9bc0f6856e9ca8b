import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, ruleLine, splitWords } from '../../../modules/iptables_rule/parse.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const files = ['options.save', 'nat.save', 'mangle.save', 'ipv6.save', 'large.save'];

describe('parseIptablesSave on outputs captured from iptables 1.8.9 (fixtures/capture.sh)', () => {
  it('reads chains, policies and rules of the filter table', () => {
    const [table, ...rest] = parseIptablesSave(read('options.save'));
    expect(rest).toEqual([]);
    expect(table?.name).toBe('filter');
    expect(table?.chains).toEqual([{ name: 'INPUT', policy: 'DROP' }, { name: 'FORWARD', policy: 'ACCEPT' }, { name: 'OUTPUT', policy: 'ACCEPT' }, { name: 'MYCHAIN' }]);
    expect(table?.rules).toHaveLength(19);
    expect(table?.rules.filter((rule) => rule.chain === 'INPUT')).toHaveLength(16);
    expect(table?.rules[0]).toEqual({
      chain: 'INPUT',
      line: '-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j ACCEPT',
      spec: ['-s', '10.0.0.1/32', '-p', 'tcp', '-m', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
    });
  });

  it('unquotes comments and log prefixes', () => {
    const rules = parseIptablesSave(read('options.save'))[0]?.rules ?? [];
    expect(rules.find((rule) => rule.spec.includes('multiport'))?.spec).toContain('web traffic here');
    expect(rules.find((rule) => rule.spec.includes('LOG') && rule.spec.includes('limit'))?.spec.slice(-2)).toEqual(['--log-prefix', 'IN: ']);
    expect(rules.find((rule) => rule.line.includes('back'))?.spec).toEqual(['-m', 'comment', '--comment', 'quote"s and \\back', '-j', 'ACCEPT']);
  });

  it.each(files)('%s: every rule line is rebuilt byte for byte from its words', (file) => {
    for (const table of parseIptablesSave(read(file))) {
      for (const rule of table.rules) expect(ruleLine(rule.chain, rule.spec)).toBe(rule.line);
    }
  });

  it('reads several tables in one output (iptables-save without -t)', () => {
    const tables = parseIptablesSave(files.slice(0, 3).map(read).join(''));
    expect(tables.map((table) => table.name)).toEqual(['filter', 'nat', 'mangle']);
    expect(tables[1]?.rules.map((rule) => rule.chain)).toEqual(['PREROUTING', 'PREROUTING', 'POSTROUTING', 'POSTROUTING']);
  });

  it('reads nothing from an empty output, and refuses lines it does not know', () => {
    expect(parseIptablesSave('')).toEqual([]);
    expect(() => parseIptablesSave('*filter\n-I INPUT -j ACCEPT\nCOMMIT\n')).toThrow(/unexpected line/);
    expect(() => parseIptablesSave('-A INPUT -j ACCEPT\n')).toThrow(/outside a table/);
  });

  it('parses a kube-proxy sized ruleset (557 rules, 207 chains) correctly and fast', () => {
    const text = read('large.save');
    const [table] = parseIptablesSave(text);
    expect(table?.chains).toHaveLength(207);
    expect(table?.rules).toHaveLength(557);
    expect(table?.chains.filter((chain) => chain.policy === undefined)).toHaveLength(203);
    const sep = table?.rules.filter((rule) => rule.chain === 'KUBE-SEP-7-2');
    expect(sep?.map((rule) => rule.spec)).toEqual([
      ['-s', '10.244.7.2/32', '-m', 'comment', '--comment', 'default/svc-7:http', '-j', 'KUBE-MARK-MASQ'],
      ['-p', 'tcp', '-m', 'comment', '--comment', 'default/svc-7:http', '-m', 'tcp', '-j', 'DNAT', '--to-destination', '10.244.7.2:8080'],
    ]);
    const timings: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const started = performance.now();
      parseIptablesSave(text);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    expect(timings[2]).toBeLessThan(50);
  });

  it('splitWords keeps empty quoted words and escaped quotes', () => {
    expect(splitWords('-A X -m comment --comment "" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', '', '-j', 'ACCEPT']);
    expect(splitWords('--comment "a \\"b\\" c"')).toEqual(['--comment', 'a "b" c']);
  });
});
