import type { Change, FileDiff, Plan } from '../../src/module/contract.js';
import { commandHead, describesRule, ruleSpec, tools } from './args.js';
import type { IptablesRuleParams } from './args.js';
import { ruleLine } from './parse.js';
import type { SavedTable } from './parse.js';

/** What gather read: the table as iptables-save prints it, and what `iptables -C` said of the rule. */
export interface IptablesState {
  /** Undefined when iptables-save printed no such table (nothing was ever loaded into it). */
  readonly table?: SavedTable;
  /** `iptables -C`: true exit 0, false exit 1; undefined when not asked (no rule, or no chain). */
  readonly checked?: boolean;
  /** stderr of `iptables -C` when it failed for another reason (unknown match, bad value…). */
  readonly checkError?: string;
}

export const builtinChains: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The table as saved, or its built-in chains (policy ACCEPT, no rules) when iptables-save printed nothing. */
export function effectiveTable(params: IptablesRuleParams, state: IptablesState): SavedTable {
  const name = params.table ?? 'filter';
  if (state.table !== undefined) return state.table;
  return { name, chains: (builtinChains[name] ?? []).map((chain) => ({ name: chain, policy: 'ACCEPT' })), rules: [] };
}

/** Index (0-based) of the first saved rule in `chain` whose words equal `spec`, or -1. */
export function findRule(table: SavedTable, chain: string, spec: readonly string[]): number {
  const rules = table.rules.filter((rule) => rule.chain === chain);
  return rules.findIndex((rule) => rule.spec.length === spec.length && rule.spec.every((word, index) => word === spec[index]));
}

interface ChainView {
  readonly header?: string;
  readonly lines: readonly string[];
}

function chainText(chain: string, view: ChainView): string {
  return [...(view.header === undefined ? [] : [`:${chain} ${view.header}`]), ...view.lines].map((line) => `${line}\n`).join('');
}

export function planIptablesRule(params: IptablesRuleParams, state: IptablesState): Plan {
  const table = effectiveTable(params, state);
  const head = commandHead(params);
  const result = {
    table: table.name,
    chain: params.chain,
    ip_version: params.ip_version ?? 'ipv4',
    state: params.state ?? 'present',
  };
  const diffPath = (chain: string | undefined): string => `${tools(params).save} -t ${table.name}${chain === undefined ? '' : ` ${chain}`}`;
  const savedChain = params.chain === undefined ? undefined : table.chains.find((chain) => chain.name === params.chain);
  const linesOf = (chain: string): string[] => table.rules.filter((rule) => rule.chain === chain).map((rule) => rule.line);
  const header = (chain: string): string | undefined => {
    const found = table.chains.find((candidate) => candidate.name === chain);
    return found === undefined ? undefined : (found.policy ?? '-');
  };

  if (params.flush === true) {
    const chains = params.chain === undefined ? table.chains.map((chain) => chain.name) : [params.chain];
    if (params.chain !== undefined && savedChain === undefined) return { changes: [], failed: `chain ${params.chain} does not exist in table ${table.name}`, result };
    const rules = table.rules.filter((rule) => chains.includes(rule.chain));
    if (rules.length === 0) return { changes: [], result: { ...result, flushed: 0 }, noopReason: params.chain === undefined ? `table ${table.name} has no rules` : `chain ${params.chain} has no rules` };
    const diff: FileDiff[] = chains
      .filter((chain) => linesOf(chain).length > 0)
      .map((chain) => ({ path: diffPath(chain), before: chainText(chain, { header: header(chain), lines: linesOf(chain) }), after: chainText(chain, { header: header(chain), lines: [] }) }));
    const target = params.chain === undefined ? `table ${table.name}` : `chain ${params.chain}`;
    return {
      changes: [{ kind: 'command', argv: [...head, '-F', ...(params.chain === undefined ? [] : [params.chain])], description: `flush ${target} (${rules.length} rule(s))` }],
      diff: diff.length === 1 ? diff[0] : diff,
      result: { ...result, flushed: rules.length },
    };
  }

  const chain = params.chain;
  if (chain === undefined) return { changes: [], failed: 'chain is required unless flush is true', result };

  if (params.policy !== undefined) {
    if (savedChain === undefined) return { changes: [], failed: `chain ${chain} does not exist in table ${table.name}`, result };
    if (savedChain.policy === undefined) return { changes: [], failed: `chain ${chain} is a user-defined chain: only built-in chains have a policy`, result };
    if (savedChain.policy === params.policy) return { changes: [], result: { ...result, policy: params.policy }, noopReason: `policy of ${chain} is ${params.policy}` };
    const lines = linesOf(chain);
    return {
      changes: [{ kind: 'command', argv: [...head, '-P', chain, params.policy], description: `set policy of ${chain} to ${params.policy} (was ${savedChain.policy})` }],
      diff: { path: diffPath(chain), before: chainText(chain, { header: savedChain.policy, lines }), after: chainText(chain, { header: params.policy, lines }) },
      result: { ...result, policy: params.policy, previous_policy: savedChain.policy },
    };
  }

  const absent = params.state === 'absent';
  const isRule = describesRule(params);
  if (params.chain_management === true && absent && !isRule) {
    if (savedChain === undefined) return { changes: [], result, noopReason: `chain ${chain} does not exist` };
    if (savedChain.policy !== undefined) return { changes: [], failed: `chain ${chain} is a built-in chain and cannot be deleted`, result };
    return {
      changes: [{ kind: 'command', argv: [...head, '-X', chain], description: `delete chain ${chain}` }],
      diff: { path: diffPath(chain), before: chainText(chain, { header: '-', lines: linesOf(chain) }), after: '' },
      result,
    };
  }

  const changes: Change[] = [];
  const before = savedChain === undefined ? '' : chainText(chain, { header: header(chain), lines: linesOf(chain) });
  if (savedChain === undefined) {
    if (absent) return { changes: [], result, noopReason: `chain ${chain} does not exist` };
    if (params.chain_management !== true) return { changes: [], failed: `chain ${chain} does not exist in table ${table.name} (chain_management: true creates it)`, result };
    changes.push({ kind: 'command', argv: [...head, '-N', chain], description: `create chain ${chain}` });
    if (!isRule) return { changes, diff: { path: diffPath(chain), before, after: chainText(chain, { header: '-', lines: [] }) }, result };
  } else if (params.chain_management === true && !isRule) {
    return { changes: [], result, noopReason: `chain ${chain} exists` };
  }
  if (state.checkError !== undefined) return { changes: [], failed: state.checkError.trim(), result };

  const spec = ruleSpec(params, false);
  const canonical = ruleSpec(params, true);
  const rule = ruleLine(chain, canonical);
  const lines = linesOf(chain);
  const position = savedChain === undefined ? -1 : findRule(table, chain, canonical);
  const present = savedChain === undefined ? false : (state.checked ?? position >= 0);
  const ruleResult = { ...result, rule, rule_argv: spec };
  const diffAfter = (after: readonly string[]): FileDiff => ({
    path: diffPath(chain),
    before,
    after: chainText(chain, { header: header(chain) ?? '-', lines: after }),
  });

  if (absent) {
    if (!present) return { changes: [], result: ruleResult, noopReason: 'rule is absent' };
    const after = position < 0 ? lines : lines.filter((_line, index) => index !== position);
    return {
      changes: [{ kind: 'command', argv: [...head, '-D', chain, ...spec], description: `delete rule: ${rule}` }],
      diff: diffAfter(after),
      result: ruleResult,
    };
  }

  const ruleNum = params.rule_num === undefined ? undefined : Number(params.rule_num);
  const insert = params.action === 'insert';
  if (present) {
    if (!(insert && params.position_enforced === true && ruleNum !== undefined)) return { changes: [], result: ruleResult, noopReason: 'rule is present' };
    if (position < 0) {
      return {
        changes: [],
        failed: `the rule is present (iptables -C) but its iptables-save form differs from "${rule}", so its position cannot be verified; write the rule as iptables-save prints it`,
        result: ruleResult,
      };
    }
    const wanted = Math.min(ruleNum, lines.length);
    if (position + 1 === wanted) return { changes: [], result: { ...ruleResult, rule_num: wanted }, noopReason: `rule is present at position ${wanted}` };
    const without = lines.filter((_line, index) => index !== position);
    return {
      changes: [
        { kind: 'command', argv: [...head, '-D', chain, ...spec], description: `remove rule from position ${position + 1}: ${rule}` },
        { kind: 'command', argv: [...head, '-I', chain, String(wanted), ...spec], description: `insert rule at position ${wanted}: ${rule}` },
      ],
      diff: diffAfter([...without.slice(0, wanted - 1), rule, ...without.slice(wanted - 1)]),
      result: { ...ruleResult, rule_num: wanted, previous_rule_num: position + 1 },
    };
  }
  if (insert) {
    const at = ruleNum ?? 1;
    changes.push({ kind: 'command', argv: [...head, '-I', chain, ...(ruleNum === undefined ? [] : [String(ruleNum)]), ...spec], description: `insert rule at position ${at}: ${rule}` });
    return { changes, diff: diffAfter([...lines.slice(0, at - 1), rule, ...lines.slice(at - 1)]), result: ruleResult };
  }
  changes.push({ kind: 'command', argv: [...head, '-A', chain, ...spec], description: `append rule: ${rule}` });
  return { changes, diff: diffAfter([...lines, rule]), result: ruleResult };
}
