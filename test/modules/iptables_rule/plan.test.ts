import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IptablesRuleParams } from '../../../modules/iptables_rule/args.js';
import { parseIptablesSave } from '../../../modules/iptables_rule/parse.js';
import { planIptablesRule } from '../../../modules/iptables_rule/plan.js';
import type { IptablesState } from '../../../modules/iptables_rule/plan.js';

interface Case {
  readonly name: string;
  readonly save: string | readonly string[];
  readonly checked?: boolean;
  readonly checkError?: string;
  readonly params: IptablesRuleParams;
  readonly expected:
    | { readonly changes: readonly (readonly string[])[]; readonly rule?: string; readonly diffRemoved?: string }
    | { readonly noop: string }
    | { readonly failed: string };
}

const fixtures = join(import.meta.dirname, 'fixtures');
const { cases } = JSON.parse(readFileSync(join(fixtures, 'plan-cases.json'), 'utf8')) as { cases: Case[] };

function stateOf(testCase: Case): IptablesState {
  const text = typeof testCase.save === 'string' ? readFileSync(join(fixtures, testCase.save), 'utf8') : testCase.save.join('\n');
  const table = parseIptablesSave(text).find((candidate) => candidate.name === (testCase.params.table ?? 'filter'));
  return { table, checked: testCase.checked, checkError: testCase.checkError };
}

describe('iptables_rule plan: params + saved table → commands (fixtures from real iptables-save)', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const plan = planIptablesRule(testCase.params, stateOf(testCase));
    const expected = testCase.expected;
    if ('failed' in expected) {
      expect(plan.failed).toContain(expected.failed);
      expect(plan.changes).toEqual([]);
      return;
    }
    expect(plan.failed).toBeUndefined();
    if ('noop' in expected) {
      expect(plan.changes).toEqual([]);
      expect(plan.noopReason).toBe(expected.noop);
      expect(plan.diff).toBeUndefined();
      return;
    }
    expect(plan.changes.map((change) => (change.kind === 'command' ? change.argv : change.kind))).toEqual(expected.changes);
    if (expected.rule !== undefined) expect(plan.result?.rule).toBe(expected.rule);
    expect(plan.diff).toBeDefined();
    if (expected.diffRemoved !== undefined) {
      const diff = plan.diff as { before: string; after: string };
      expect(diff.before).toContain(`${expected.diffRemoved}\n`);
      expect(diff.after).not.toContain(`${expected.diffRemoved}\n`);
    }
  });
});

describe('iptables_rule plan: diffs show the chain before and after', () => {
  it('append adds the canonical line at the end of the chain', () => {
    const state = stateOf({ name: '', save: 'options.save', checked: false, params: {}, expected: { noop: '' } });
    const plan = planIptablesRule({ chain: 'MYCHAIN', comment: 'two words', jump: 'DROP' }, state);
    expect(plan.diff).toEqual({
      path: 'iptables-save -t filter MYCHAIN',
      before: ':MYCHAIN -\n-A MYCHAIN -j RETURN\n',
      after: ':MYCHAIN -\n-A MYCHAIN -j RETURN\n-A MYCHAIN -m comment --comment "two words" -j DROP\n',
    });
  });

  it('insert puts the canonical line at rule_num', () => {
    const state = stateOf({ name: '', save: 'nat.save', checked: false, params: { table: 'nat' }, expected: { noop: '' } });
    const plan = planIptablesRule({ table: 'nat', chain: 'POSTROUTING', action: 'insert', rule_num: 2, source: '10.0.0.0/8', jump: 'RETURN' }, state);
    expect((plan.diff as { after: string }).after).toBe(
      ':POSTROUTING ACCEPT\n-A POSTROUTING -o eth0 -j SNAT --to-source 1.2.3.4\n-A POSTROUTING -s 10.0.0.0/8 -j RETURN\n-A POSTROUTING -o eth0 -j MASQUERADE\n',
    );
  });

  it('a chain only named, without chain_management, is Ansible\'s empty rule', () => {
    const state = stateOf({ name: '', save: 'options.save', checked: false, params: {}, expected: { noop: '' } });
    const plan = planIptablesRule({ chain: 'MYCHAIN' }, state);
    expect(plan.changes.map((change) => (change.kind === 'command' ? change.argv : []))).toEqual([['iptables', '-t', 'filter', '-A', 'MYCHAIN']]);
  });
});
