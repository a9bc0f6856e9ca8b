import { defineModule } from '../../src/module/contract.js';
import type { ModuleContext } from '../../src/module/contract.js';
import { applyPlan } from '../../src/module/apply.js';
import { applyConfirmed } from './confirm.js';
import { commandHead, describesRule, ruleSpec, tools } from './args.js';
import type { IptablesRuleParams } from './args.js';
import type { IptablesRuleParamsFromSchema } from './params.generated.js';
import { parseIptablesSave } from './parse.js';
import { planIptablesRule } from './plan.js';
import type { IptablesState } from './plan.js';
import { convergingMeta } from '../../src/module/meta.js';

/** Reads the table once with iptables-save; asks `iptables -C` whether the rule is there, as the kernel sees it. */
async function gather(ctx: ModuleContext, params: IptablesRuleParams): Promise<IptablesState> {
  const tableName = params.table ?? 'filter';
  const save = await ctx.run([tools(params).save, '-t', tableName]);
  if (save.exitCode !== 0) throw new Error(`${tools(params).save} -t ${tableName} failed (exit ${save.exitCode}): ${save.stderr.trim()}`);
  const table = parseIptablesSave(save.stdout).find((candidate) => candidate.name === tableName);
  const chainExists = params.chain !== undefined && table?.chains.some((chain) => chain.name === params.chain) === true;
  const ruleLevel = params.flush !== true && params.policy === undefined && (describesRule(params) || params.chain_management !== true);
  if (!chainExists || !ruleLevel || params.chain === undefined) return { table };
  const check = await ctx.run([...commandHead(params), '-C', params.chain, ...ruleSpec(params, false)]);
  if (check.exitCode === 0) return { table, checked: true };
  if (check.exitCode === 1) return { table, checked: false };
  return { table, checkError: check.stderr.trim() || `${tools(params).iptables} -C exited ${check.exitCode}` };
}

// The schema's type is checked against the one the plan works with (broader: templated values, tests).
export default defineModule<IptablesRuleParamsFromSchema, IptablesState>({
  name: 'iptables_rule',
  meta: convergingMeta({
    table: 'the table worked on',
    chain: 'the chain worked on',
    ip_version: 'ipv4 or ipv6',
    state: 'present or absent',
    rule: 'the rule as iptables-save prints it, e.g. "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"',
    rule_argv: 'the rule specification passed to iptables after the chain',
    policy: 'with policy: the policy now set',
    previous_policy: 'with policy, when it changed: the policy before',
    flushed: 'with flush: the number of rules removed',
    rule_num: 'with position_enforced: the position of the rule',
    previous_rule_num: 'with position_enforced, when the rule moved: where it was',
    confirmed: 'with confirm_timeout, when something changed: true once a new connection proved the host reachable and the rollback was cancelled',
  }),
  gather: (ctx, params) => gather(ctx, params),
  plan: (params, state) => planIptablesRule(params, state),
  apply: (ctx, plan, params) => (params.confirm_timeout === undefined ? applyPlan(ctx, plan) : applyConfirmed(ctx, plan, params, Number(params.confirm_timeout))),
});
