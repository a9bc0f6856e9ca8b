import { openSshForHost } from '../connection/open-ssh.js';
import { StaleFileError, UnreachableError } from '../connection/types.js';
import type { Connection } from '../connection/types.js';
import type { FileDiff, ModuleContext, ModuleResult, Plan } from '../module/contract.js';
import { applyPlan } from '../module/apply.js';
import { findModule, moduleSchema } from '../module/registry.js';
import type { AnyModule } from '../module/registry.js';
import { asList } from '../load/values.js';
import { evaluateCondition, renderString, renderValue } from '../template/index.js';
import { moduleParamsValidator, schemaErrors } from '../validate/ajv.js';
import { moduleRuleProblems, schemaProblems } from '../validate/params.js';
import { maskResult, NO_LOG_ITEM } from './no-log.js';
import { redact, rememberSecrets } from './secrets.js';
import type { PlayScope } from './task-vars.js';
import { taskVariables } from './task-vars.js';
import { connectionKind } from './connections.js';
import { renderEnvironment } from './environment.js';
import { taskActed } from './gather-ahead.js';
import type { Ahead } from './gather-ahead.js';
import type { EffectiveTask, HostOutcome, HostRun, RunContext } from './state.js';

interface ItemOutcome {
  readonly status: Exclude<HostOutcome, 'ignored'>;
  readonly result: Record<string, unknown>;
  readonly diff?: readonly FileDiff[];
  /** The module's apply had something to do: the host may have changed. */
  readonly applied?: boolean;
}

/** Runs one task on one host: when, loop, module, changed_when/failed_when, register, notify, events. */
export async function executeTask(run: RunContext, scope: PlayScope, task: EffectiveTask, host: HostRun): Promise<HostOutcome> {
  const started = performance.now();
  const baseVars = taskVariables(run, scope, task, host);
  let outcomes: { outcome: ItemOutcome; label?: string }[];
  let aggregate: ItemOutcome;
  try {
    const items = loopItems(task, baseVars);
    if (items === undefined) {
      aggregate = await runItem(run, task, host, baseVars, true);
      outcomes = [{ outcome: aggregate }];
    } else if (items.length === 0) {
      aggregate = { status: 'skipped', result: { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] } };
      outcomes = [{ outcome: aggregate }];
    } else {
      outcomes = [];
      for (const [index, item] of items.entries()) {
        const itemVars = withLoopVariables(baseVars, task, item, index, items.length);
        const outcome = await runItem(run, task, host, itemVars);
        outcomes.push({ outcome, label: itemLabel(task, itemVars, item) });
        if (outcome.status === 'unreachable') break;
      }
      aggregate = aggregateLoop(outcomes.map((entry) => entry.outcome));
    }
  } catch (error) {
    aggregate = failure(error);
    outcomes = [{ outcome: aggregate }];
  }

  const register = task.node.keywords.register;
  if (register !== undefined) host.facts[register] = aggregate.result;
  const durationMs = performance.now() - started;
  const status = finalStatus(aggregate.status, task);
  recordStats(host, status, task);
  if (status === 'changed') for (const topic of asList(task.node.keywords.notify)) host.notified.add(topic);
  emitResults(run, task, host, outcomes, status, durationMs);
  if (taskActed(findModule(task.node.module), aggregate.status, outcomes.some((entry) => entry.outcome.applied === true))) run.gatherAhead.forgetAll();
  return status;
}

/** Starts this task's gather now, ahead of its turn, when it would run and its params render (src/run/gather-ahead.ts). */
export function startAhead(run: RunContext, scope: PlayScope, task: EffectiveTask, host: HostRun): Ahead | undefined {
  try {
    const vars = taskVariables(run, scope, task, host);
    const item = prepareItem(run, task, vars);
    if (item.kind !== 'ready') return undefined;
    const state = moduleContext(run, task, host, item.module, vars).then((ctx) => item.module.gather(ctx, item.params));
    // Unused or failed read-aheads are dropped without a word; the task's own gather reports its errors.
    state.catch(() => undefined);
    return { key: JSON.stringify(item.params), state };
  } catch {
    return undefined;
  }
}

type PreparedItem =
  | { readonly kind: 'skipped' }
  | { readonly kind: 'invalid'; readonly msg: string }
  | { readonly kind: 'ready'; readonly module: AnyModule; readonly params: Record<string, unknown> };

/** An item's when, its module and its params rendered and validated again: what both its turn and a read-ahead need. */
function prepareItem(run: RunContext, task: EffectiveTask, vars: Record<string, unknown>): PreparedItem {
  if (!task.when.every((condition) => evaluateCondition(condition, vars))) return { kind: 'skipped' };
  const module = findModule(task.node.module);
  if (module === undefined) throw new Error(`unknown module ${task.node.module}`);
  const params = renderValue(task.node.params, vars) as Record<string, unknown>;
  rememberSecrets(run.secrets, task.node.module, params);
  const invalid = paramProblems(task, params);
  return invalid === undefined ? { kind: 'ready', module, params } : { kind: 'invalid', msg: invalid };
}

/** `single`: the task has no loop, so a read-ahead gather may stand for its own. */
async function runItem(run: RunContext, task: EffectiveTask, host: HostRun, vars: Record<string, unknown>, single = false): Promise<ItemOutcome> {
  try {
    const item = prepareItem(run, task, vars);
    if (item.kind === 'skipped') return { status: 'skipped', result: { changed: false, skipped: true, skip_reason: 'Conditional result was False' } };
    if (item.kind === 'invalid') return { status: 'failed', result: { changed: false, failed: true, msg: item.msg } };
    const ahead = single ? run.gatherAhead.take(task, host, item.params) : undefined;
    const outcome = await runModule(run, task, host, item.module, item.params, vars, ahead);
    return overrideWithConditions(task, vars, outcome);
  } catch (error) {
    return failure(error);
  }
}

/** How often a read-modify-write task reads again after another writer changed its file in between. */
const STALE_RETRIES = 20;

async function runModule(run: RunContext, task: EffectiveTask, host: HostRun, module: AnyModule, params: Record<string, unknown>, vars: Record<string, unknown>, ahead?: Promise<unknown>): Promise<ItemOutcome> {
  const ctx = await moduleContext(run, task, host, module, vars);
  for (let attempt = 1; ; attempt++) {
    try {
      // A read-ahead that failed is gathered again now, so the error (or its absence) is this turn's.
      const gather = () => module.gather(ctx, params);
      const state = attempt === 1 && ahead !== undefined ? await ahead.catch(gather) : await gather();
      return await planApply(ctx, module, params, state, host, run);
    } catch (error) {
      if (!(error instanceof StaleFileError) || attempt >= STALE_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

async function planApply(ctx: ModuleContext, module: AnyModule, params: Record<string, unknown>, state: unknown, host: HostRun, run: RunContext): Promise<ItemOutcome> {
  const plan: Plan = module.plan(params, state);
  if (plan.facts !== undefined) Object.assign(host.facts, plan.facts);
  if (plan.includedVars !== undefined) Object.assign(host.includedVars, plan.includedVars);
  const diff = run.options.diff && plan.diff !== undefined ? asList(plan.diff) : undefined;
  if (plan.failed !== undefined) return { status: 'failed', result: { ...plan.result, changed: false, failed: true, msg: plan.failed } };
  const wouldChange = plan.changed ?? plan.changes.length > 0;
  if (ctx.check) {
    if (module.meta.checkMode === 'partial' && plan.changes.length > 0) {
      return { status: 'skipped', result: { changed: false, skipped: true, msg: 'skipped: this command cannot be checked without running it' } };
    }
    const result = { ...plan.result, changed: wouldChange, ...(plan.noopReason && !wouldChange ? { msg: plan.noopReason } : {}) };
    return { status: wouldChange ? 'changed' : 'ok', result, diff };
  }
  const applied: ModuleResult = module.apply ? await module.apply(ctx, plan, params) : await applyPlan(ctx, plan);
  const result: Record<string, unknown> = { ...applied };
  if (!applied.changed && plan.noopReason !== undefined && result.msg === undefined) result.msg = plan.noopReason;
  const status = applied.failed === true ? 'failed' : applied.changed ? 'changed' : 'ok';
  return { status, result, diff: applied.changed ? diff : undefined, applied: wouldChange || applied.changed };
}

async function moduleContext(run: RunContext, task: EffectiveTask, host: HostRun, module: AnyModule, vars: Record<string, unknown>): Promise<ModuleContext> {
  const targetVars = task.delegateTo === undefined ? vars : delegateVars(run, task.delegateTo);
  const connection = run.commandClock.wrap(
    module.meta.controllerOnly ? await run.pool.get('localhost', { ansible_connection: 'local' }) : await run.pool.get(task.delegateTo ?? host.name, targetVars),
  );
  const become = task.become ? { user: task.becomeUser, password: becomePassword(targetVars) } : undefined;
  const timeoutMs = task.timeoutSeconds === undefined ? undefined : task.timeoutSeconds * 1000;
  const env = renderEnvironment(task.environment, vars);
  return {
    connection,
    host: { name: host.name, vars },
    become,
    timeoutMs,
    check: task.checkMode ?? run.options.check,
    diff: run.options.diff,
    baseDir: task.node.baseDir,
    searchDirs: task.node.searchDirs,
    preloadedVars: task.node.preloadedVars,
    renderTemplate: (source) => renderString(source, vars),
    run: (argv, options = {}) => connection.run(argv, { ...options, become, timeoutMs, env }),
    probeReachable: (probeMs) =>
      module.meta.controllerOnly || connectionKind(targetVars) === 'local' ? Promise.resolve() : probeSsh(task.delegateTo ?? host.name, targetVars, probeMs),
  };
}

/**
 * A fresh SSH connection to the host (one attempt, connect timeout about probeMs) that runs `true`, then closes.
 * Any failure, or no answer within probeMs, is an UnreachableError.
 */
async function probeSsh(name: string, vars: Readonly<Record<string, unknown>>, probeMs: number): Promise<void> {
  const opening = openSshForHost(name, { ...vars, rackplay_ssh_timeout: Math.max(1, Math.ceil(probeMs / 1000)), rackplay_ssh_retries: 0 }, { fresh: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new UnreachableError(`${name}: no new SSH connection within ${probeMs} ms`)), probeMs);
  });
  let connection: Connection | undefined;
  try {
    connection = await Promise.race([opening, expired]);
    const result = await Promise.race([connection.run(['true'], { timeoutMs: probeMs }), expired]);
    if (result.exitCode !== 0) throw new UnreachableError(`${name}: a new SSH connection could not run true (exit ${result.exitCode})`);
  } catch (error) {
    if (error instanceof UnreachableError) throw error;
    throw new UnreachableError(`${name}: reachability probe failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    // Closed in every case; a connection that opens only after the deadline is closed when it does.
    if (connection !== undefined) await connection.close().catch(() => undefined);
    else void opening.then((late) => late.close(), () => undefined).catch(() => undefined);
  }
}

/** A delegate outside the inventory is reached like Ansible does: localhost locally, any other name over SSH. */
function delegateVars(run: RunContext, name: string): Readonly<Record<string, unknown>> {
  const known = run.hosts.get(name);
  if (known !== undefined) return known.inventoryVars;
  if (name === 'localhost' || name === '127.0.0.1' || name === '::1') return { inventory_hostname: name, ansible_connection: 'local' };
  return { inventory_hostname: name };
}

export function becomePassword(vars: Readonly<Record<string, unknown>>): string | undefined {
  const password = vars.rackplay_become_password ?? vars.ansible_become_password ?? vars.ansible_become_pass;
  return typeof password === 'string' ? password : undefined;
}

/** Rendered params are validated again: a template may have produced the wrong type. */
function paramProblems(task: EffectiveTask, params: Record<string, unknown>): string | undefined {
  const errors = schemaErrors(moduleParamsValidator(task.node.module), params);
  const { source, path } = task.node.ref;
  const context = { source, path: [...path, task.node.moduleKey], noun: 'parameter', owner: `module ${task.node.module}`, skipTemplated: false, schema: moduleSchema(task.node.module) };
  const problems = errors.length > 0 ? schemaProblems(errors, params, context) : moduleRuleProblems(task.node.module, params, context);
  if (problems.length === 0) return undefined;
  return problems.map((problem) => `after templating: ${problem.format()}`).join('\n');
}

function overrideWithConditions(task: EffectiveTask, vars: Record<string, unknown>, outcome: ItemOutcome): ItemOutcome {
  const { changed_when: changedWhen, failed_when: failedWhen, register } = task.node.keywords;
  if ((changedWhen === undefined && failedWhen === undefined) || outcome.status === 'skipped' || outcome.status === 'unreachable') return outcome;
  const scoped = { ...Object.getOwnPropertyDescriptors(vars) };
  const conditionVars = Object.defineProperties({}, scoped) as Record<string, unknown>;
  if (register !== undefined) conditionVars[register] = outcome.result;
  const result = { ...outcome.result };
  if (failedWhen !== undefined) result.failed = asList(failedWhen).some((condition) => evaluateCondition(condition, conditionVars));
  if (changedWhen !== undefined) result.changed = asList(changedWhen).some((condition) => evaluateCondition(condition, conditionVars));
  const status = result.failed === true ? 'failed' : result.changed === true ? 'changed' : 'ok';
  if (status !== 'failed') delete result.failed;
  return { ...outcome, status, result };
}

function loopItems(task: EffectiveTask, vars: Record<string, unknown>): unknown[] | undefined {
  const raw = task.node.keywords.loop ?? (task.node.keywords as { with_items?: unknown }).with_items;
  if (raw === undefined) return undefined;
  const items = renderValue(raw, vars);
  if (!Array.isArray(items)) throw new Error(`loop must be a list, got ${typeof items}`);
  return items;
}

function withLoopVariables(vars: Record<string, unknown>, task: EffectiveTask, item: unknown, index: number, length: number): Record<string, unknown> {
  const control = (task.node.keywords.loop_control ?? {}) as { loop_var?: string; index_var?: string };
  const itemVars = Object.defineProperties({}, Object.getOwnPropertyDescriptors(vars)) as Record<string, unknown>;
  itemVars[control.loop_var ?? 'item'] = item;
  if (control.index_var !== undefined) itemVars[control.index_var] = index;
  itemVars.ansible_loop = { index: index + 1, index0: index, first: index === 0, last: index === length - 1, length };
  return itemVars;
}

function itemLabel(task: EffectiveTask, vars: Record<string, unknown>, item: unknown): string {
  if (task.noLog) return NO_LOG_ITEM;
  const label = task.node.keywords.loop_control?.label;
  if (label !== undefined) return renderString(label, vars);
  return typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item);
}

function aggregateLoop(outcomes: readonly ItemOutcome[]): ItemOutcome {
  const results = outcomes.map((outcome) => outcome.result);
  const statuses = outcomes.map((outcome) => outcome.status);
  const status = statuses.includes('unreachable')
    ? 'unreachable'
    : statuses.includes('failed')
      ? 'failed'
      : statuses.includes('changed')
        ? 'changed'
        : statuses.every((entry) => entry === 'skipped')
          ? 'skipped'
          : 'ok';
  const diff = outcomes.flatMap((outcome) => outcome.diff ?? []);
  const result: Record<string, unknown> = { changed: status === 'changed', results, msg: status === 'failed' ? 'One or more items failed' : 'All items completed' };
  if (status === 'failed') result.failed = true;
  if (status === 'skipped') result.skipped = true;
  return { status, result, diff: diff.length > 0 ? diff : undefined };
}

function failure(error: unknown): ItemOutcome {
  if (error instanceof UnreachableError) return { status: 'unreachable', result: { changed: false, unreachable: true, msg: error.message } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'failed', result: { changed: false, failed: true, msg: message } };
}

function finalStatus(status: ItemOutcome['status'], task: EffectiveTask): HostOutcome {
  return status === 'failed' && task.ignoreErrors ? 'ignored' : status;
}

function recordStats(host: HostRun, status: HostOutcome, task: EffectiveTask): void {
  switch (status) {
    case 'ok':
      host.stats.ok++;
      break;
    case 'changed':
      host.stats.ok++;
      host.stats.changed++;
      break;
    case 'skipped':
      host.stats.skipped++;
      break;
    case 'ignored':
      host.stats.ignored++;
      break;
    case 'unreachable':
      host.stats.unreachable++;
      host.unreachable = true;
      break;
    case 'failed':
      // Inside a block with rescue the failure is settled by the block: rescued, or failed in rescue.
      if (!task.rescuable) host.stats.failed++;
      host.failed = true;
      break;
  }
}

function emitResults(run: RunContext, task: EffectiveTask, host: HostRun, outcomes: readonly { outcome: ItemOutcome; label?: string }[], status: HostOutcome, durationMs: number): void {
  const hasItems = outcomes.some((entry) => entry.label !== undefined);
  const entries = hasItems ? outcomes : [{ outcome: { ...outcomes[0]!.outcome, status: status === 'ignored' ? 'failed' : status } as ItemOutcome }];
  for (const { outcome, label } of entries) {
    run.bus.emit({
      type: 'host_result',
      task: task.ref,
      host: host.name,
      status: outcome.status,
      ignored: outcome.status === 'failed' && task.ignoreErrors ? true : undefined,
      result: task.noLog ? maskResult(outcome.result) : redact(outcome.result, run.secrets),
      item: label === undefined ? undefined : redact(label, run.secrets),
      diff: task.noLog ? undefined : redact(outcome.diff, run.secrets),
      durationMs,
    });
  }
}

