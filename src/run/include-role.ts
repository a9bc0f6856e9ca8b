import type { TaskRef } from '../events.js';
import type { RoleScope } from '../load/model.js';
import { evaluateCondition, renderValue } from '../template/index.js';
import { popIncludeLayer, pushIncludeLayer } from './include-scope.js';
import type { HostRun, RunContext } from './state.js';
import type { PlayScope } from './task-vars.js';
import { variablesAt } from './task-vars.js';

/** An include_role as the runner sees it: what decides, per host, whether and how often the role runs. */
export interface IncludeGate {
  readonly ref: TaskRef;
  /** The include's conditions and those of enclosing blocks, evaluated per item. */
  readonly when: readonly unknown[];
  readonly loop?: unknown;
  readonly loopControl?: { readonly label?: string; readonly loop_var?: string; readonly index_var?: string };
  readonly vars: Readonly<Record<string, unknown>>;
  /** The role the include is written in, if any. */
  readonly role?: RoleScope;
  readonly ignoreErrors: boolean;
  readonly rescuable: boolean;
}

/**
 * Runs an included role: each host's loop items and `when` are decided first; then the role's tasks run once
 * per item round, for the hosts that have that item, with the item visible as a variable (loop_var).
 */
export async function runIncludedRole(
  run: RunContext,
  scope: PlayScope,
  gate: IncludeGate,
  hosts: readonly HostRun[],
  runTasks: (hosts: readonly HostRun[]) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  run.bus.emit({ type: 'task_start', task: gate.ref, hosts: hosts.map((host) => host.name) });
  const rounds = new Map<HostRun, Record<string, unknown>[]>();
  for (const host of hosts) {
    try {
      const layers = includeRounds(run, scope, gate, host);
      rounds.set(host, layers);
      report(run, gate, host, layers.length === 0 ? 'skipped' : 'ok', { changed: false, ...(layers.length === 0 ? { skipped: true, skip_reason: 'Conditional result was False' } : { include: gate.ref.name, rounds: layers.length }) }, started);
    } catch (error) {
      report(run, gate, host, 'failed', { changed: false, failed: true, msg: error instanceof Error ? error.message : String(error) }, started);
    }
  }
  run.bus.emit({ type: 'task_end', task: gate.ref, durationMs: performance.now() - started });
  const count = Math.max(0, ...[...rounds.values()].map((layers) => layers.length));
  for (let round = 0; round < count && !run.interrupted; round++) {
    const group = hosts.filter((host) => host.active && (rounds.get(host)?.length ?? 0) > round);
    if (group.length === 0) continue;
    for (const host of group) pushIncludeLayer(host, rounds.get(host)![round]!);
    try {
      await runTasks(group);
    } finally {
      for (const host of group) popIncludeLayer(host);
    }
  }
}

/** One variables layer per time the role runs on this host: one without a loop, one per item that passes `when`. */
function includeRounds(run: RunContext, scope: PlayScope, gate: IncludeGate, host: HostRun): Record<string, unknown>[] {
  const vars = variablesAt(run, scope, { vars: gate.vars, role: gate.role }, host);
  const passes = (extra: Record<string, unknown>) => {
    const itemVars = Object.defineProperties(Object.defineProperties({}, Object.getOwnPropertyDescriptors(vars)), Object.getOwnPropertyDescriptors(extra)) as Record<string, unknown>;
    return gate.when.every((condition) => evaluateCondition(condition, itemVars));
  };
  if (gate.loop === undefined) return passes({}) ? [{}] : [];
  const items = renderValue(gate.loop, vars);
  if (!Array.isArray(items)) throw new Error(`loop must be a list, got ${typeof items}`);
  const loopVar = gate.loopControl?.loop_var ?? 'item';
  const layers = items.map((item, index) => ({
    [loopVar]: item,
    ...(gate.loopControl?.index_var === undefined ? {} : { [gate.loopControl.index_var]: index }),
    ansible_loop: { index: index + 1, index0: index, first: index === 0, last: index === items.length - 1, length: items.length },
  }));
  return layers.filter(passes);
}

function report(run: RunContext, gate: IncludeGate, host: HostRun, status: 'ok' | 'skipped' | 'failed', result: Record<string, unknown>, started: number): void {
  const ignored = status === 'failed' && gate.ignoreErrors;
  if (status === 'skipped') host.stats.skipped++;
  if (status === 'failed' && !ignored) {
    // Inside a block with rescue the block settles the failure, as for a task.
    if (!gate.rescuable) host.stats.failed++;
    host.failed = true;
  }
  if (ignored) host.stats.ignored++;
  run.bus.emit({ type: 'host_result', task: gate.ref, host: host.name, status, ignored: ignored ? true : undefined, result, durationMs: performance.now() - started });
}
