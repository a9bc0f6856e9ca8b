import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { LocalConnection } from '../../../src/connection/local.js';
import type { CommandSpec, Connection, PutOptions, RunOptions, RunResult } from '../../../src/connection/types.js';
import { applyPlan } from '../../../src/module/apply.js';
import type { ModuleContext, ModuleResult, Plan } from '../../../src/module/contract.js';
import iptablesRule from '../../../modules/iptables_rule/index.js';
import type { IptablesRuleParamsFromSchema as IptablesRuleParams } from '../../../modules/iptables_rule/params.generated.js';

/**
 * A real connection into a network namespace: every command runs through `ip netns exec NS`, so the
 * iptables it drives is the namespace's own ruleset and never the host's.
 */
export class NetnsConnection implements Connection {
  readonly kind = 'local' as const;
  private readonly local = new LocalConnection();

  constructor(readonly namespace: string) {}

  run(command: CommandSpec, options?: RunOptions): Promise<RunResult> {
    const inner = Array.isArray(command) ? (command as readonly string[]) : ['sh', '-c', (command as { script: string }).script];
    return this.local.run(['ip', 'netns', 'exec', this.namespace, ...inner], options);
  }

  put(content: string | Buffer, path: string, options?: PutOptions): Promise<void> {
    return this.local.put(content, path, options);
  }

  get(path: string): Promise<Buffer> {
    return this.local.get(path);
  }

  async close(): Promise<void> {}
}

/** Why namespaced iptables cannot run here, or undefined when it can (root, `ip netns`, iptables inside). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = `rp-ipt-probe-${randomBytes(4).toString('hex')}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `ip netns add failed: ${(added.stderr || added.error?.message || '').trim()}`;
  try {
    const save = spawnSync('ip', ['netns', 'exec', probe, 'iptables-save', '-t', 'filter'], { encoding: 'utf8' });
    if (save.status !== 0) return `iptables-save in a namespace failed: ${(save.stderr || save.error?.message || '').trim()}`;
    return undefined;
  } finally {
    spawnSync('ip', ['netns', 'del', probe]);
  }
}

/** A fresh namespace `rp-ipt-<random>`; `remove` deletes it (and its ruleset with it). */
export function createNamespace(): { readonly name: string; readonly remove: () => void } {
  const name = `rp-ipt-${randomBytes(5).toString('hex')}`;
  const added = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`ip netns add ${name}: ${added.stderr}`);
  return { name, remove: () => void spawnSync('ip', ['netns', 'del', name]) };
}

/** Runs a command inside the namespace (test set-up and inspection); throws on failure. */
export function inNamespace(namespace: string, argv: readonly string[]): string {
  const result = spawnSync('ip', ['netns', 'exec', namespace, ...argv], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The saved table without its timestamped comment lines, for byte comparisons. */
export function savedTable(namespace: string, table = 'filter', v6 = false): string {
  return inNamespace(namespace, [v6 ? 'ip6tables-save' : 'iptables-save', '-t', table])
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}

/** The `-A` lines of one chain as iptables-save prints them. */
export function chainLines(namespace: string, chain: string, table = 'filter', v6 = false): string[] {
  return savedTable(namespace, table, v6)
    .split('\n')
    .filter((line) => line.startsWith(`-A ${chain} `));
}

function context(connection: Connection, check: boolean): ModuleContext {
  return {
    connection,
    host: { name: 'netns', vars: {} },
    check,
    diff: true,
    baseDir: '/',
    renderTemplate: (source) => source,
    run: (argv, options) => connection.run(argv, options),
  };
}

export interface Outcome {
  readonly plan: Plan;
  /** Undefined in check mode and when the plan failed: apply never ran. */
  readonly result?: ModuleResult;
  readonly changed: boolean;
}

/** What the engine does with the module: gather, plan, and apply unless checking or failed. */
export async function converge(namespace: string, params: IptablesRuleParams, options: { check?: boolean } = {}): Promise<Outcome> {
  const ctx = context(new NetnsConnection(namespace), options.check ?? false);
  const state = await iptablesRule.gather(ctx, params);
  const plan = iptablesRule.plan(params, state);
  if (ctx.check || plan.failed !== undefined) return { plan, changed: plan.changes.length > 0 };
  const result = await applyPlan(ctx, plan);
  return { plan, result, changed: result.changed };
}
