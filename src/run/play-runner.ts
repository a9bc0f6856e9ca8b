import { selectHosts } from '../inventory/index.js';
import type { Play } from '../load/model.js';
import { handlerNames } from '../validate/names.js';
import { serialBatches } from './batches.js';
import { effectiveNodes, playInheritance } from './effective.js';
import type { EffectiveNode } from './effective.js';
import { executeTask, startAhead } from './execute-task.js';
import { gatherPlayFacts, gathersFacts } from './gather-facts.js';
import { runIncludedRole } from './include-role.js';
import { mapLimited } from './limit.js';
import type { EffectiveTask, HostRun, RunContext } from './state.js';
import type { PlayScope } from './task-vars.js';

interface BatchScope extends PlayScope {
  aborted: boolean;
}

/** The hosts a play targets: its pattern, narrowed by --limit, minus hosts that failed in earlier plays. */
export function playHosts(run: RunContext, play: Play): string[] {
  let names = selectHosts(run.inventory, play.hosts);
  if (run.options.limit !== undefined) {
    const allowed = new Set(selectHosts(run.inventory, run.options.limit));
    names = names.filter((name) => allowed.has(name));
  }
  return names.filter((name) => run.hosts.get(name)?.active ?? false);
}

export async function runPlay(run: RunContext, play: Play): Promise<void> {
  const names = playHosts(run, play);
  run.bus.emit({ type: 'play_start', name: play.name, hosts: names });
  if (names.length === 0) {
    run.bus.emit({ type: 'warning', message: `no hosts matched '${play.hosts}'${run.options.limit ? ` with --limit ${run.options.limit}` : ''}; skipping play '${play.name}'` });
    return;
  }
  const filter = { tags: run.options.tags, skipTags: run.options.skipTags };
  const inherited = playInheritance(play);
  const nodes = effectiveNodes(play.tasks, inherited, filter);
  const handlers = effectiveNodes(play.handlers, inherited, filter, true).flatMap((node) => (node.kind === 'task' ? [node.task] : []));
  const forks = play.forks ?? run.options.forks;
  for (const batchNames of serialBatches(names, play.serial)) {
    if (run.interrupted) return;
    const batch = batchNames.map((name) => run.hosts.get(name)!);
    const scope: BatchScope = { play, playHosts: names, batch: batchNames, aborted: false };
    if (gathersFacts(run, play)) await gatherPlayFacts(run, scope, batch.filter((host) => host.active), forks);
    if (play.strategy === 'free') {
      await mapLimited(batch, forks, (host) => runNodes(run, scope, nodes, [host], 1));
    } else {
      await runNodes(run, scope, nodes, batch, forks);
    }
    await runHandlers(run, scope, handlers, batch, forks);
    if (scope.aborted) return;
  }
}

async function runNodes(run: RunContext, scope: BatchScope, nodes: readonly EffectiveNode[], hosts: readonly HostRun[], forks: number): Promise<void> {
  for (const [index, node] of nodes.entries()) {
    if (run.interrupted || scope.aborted) return;
    const active = hosts.filter((host) => host.active);
    if (active.length === 0) return;
    // Read-ahead starts inside each host's fork slot, so it never opens more connections at once than forks.
    const readAhead = (host: HostRun) => run.gatherAhead.prepare(nodes, index, host, (task, target) => startAhead(run, scope, task, target));
    if (node.kind === 'task') await runTask(run, scope, node.task, active, forks, readAhead);
    else await runBlock(run, scope, node, active, forks);
  }
}

async function runBlock(run: RunContext, scope: BatchScope, node: Extract<EffectiveNode, { kind: 'block' }>, hosts: readonly HostRun[], forks: number): Promise<void> {
  if (node.include !== undefined) return runIncludedRole(run, scope, node.include, hosts, (included) => runNodes(run, scope, node.block, included, forks));
  await runNodes(run, scope, node.block, hosts, forks);
  const failedInBlock = hosts.filter((host) => host.failed && !host.unreachable);
  if (node.rescue.length > 0 && failedInBlock.length > 0 && !scope.aborted) {
    for (const host of failedInBlock) host.failed = false;
    await runNodes(run, scope, node.rescue, failedInBlock, forks);
    for (const host of failedInBlock) if (host.active) host.stats.rescued++;
  }
  if (node.always.length > 0) {
    const reachable = hosts.filter((host) => !host.unreachable);
    const stillFailed = reachable.filter((host) => host.failed);
    for (const host of stillFailed) host.failed = false;
    await runNodes(run, scope, node.always, reachable, forks);
    for (const host of stillFailed) host.failed = true;
  }
}

/** Runs one task across hosts (linear strategy), bounded by forks. */
async function runTask(run: RunContext, scope: BatchScope, task: EffectiveTask, hosts: readonly HostRun[], forks: number, beforeHost?: (host: HostRun) => void): Promise<void> {
  const targets = task.runOnce ? hosts.slice(0, 1) : hosts;
  const started = performance.now();
  run.bus.emit({ type: 'task_start', task: task.ref, hosts: targets.map((host) => host.name) });
  const outcomes = await mapLimited(targets, forks, async (host) => {
    if (run.interrupted) return undefined;
    beforeHost?.(host);
    return executeTask(run, scope, task, host);
  });
  if (task.runOnce) shareRunOnceResult(task, targets[0]!, hosts);
  const durationMs = performance.now() - started;
  run.bus.emit({ type: 'task_end', task: task.ref, durationMs });
  recordTiming(run, task, durationMs);
  const failed = outcomes.filter((outcome) => outcome === 'failed').length;
  if (failed > 0 && !task.rescuable && (task.anyErrorsFatal || exceedsMaxFailPercentage(run, scope))) {
    scope.aborted = true;
    run.bus.emit({ type: 'warning', message: task.anyErrorsFatal ? `any_errors_fatal: stopping play '${scope.play.name}'` : `max_fail_percentage exceeded: stopping play '${scope.play.name}'` });
  }
}

/** Ansible's rule: abort when the share of failed hosts in the batch is above the limit. */
function exceedsMaxFailPercentage(run: RunContext, scope: BatchScope): boolean {
  const limit = scope.play.max_fail_percentage;
  if (limit === undefined) return false;
  const failed = scope.batch.filter((name) => run.hosts.get(name)?.failed === true).length;
  return (failed / scope.batch.length) * 100 > limit;
}

function shareRunOnceResult(task: EffectiveTask, first: HostRun, hosts: readonly HostRun[]): void {
  const register = task.node.keywords.register;
  if (register === undefined || !(register in first.facts)) return;
  for (const host of hosts) if (host !== first) host.facts[register] = first.facts[register];
}

async function runHandlers(run: RunContext, scope: BatchScope, handlers: readonly EffectiveTask[], batch: readonly HostRun[], forks: number): Promise<void> {
  for (const handler of handlers) {
    if (run.interrupted) break;
    const topics = handlerNames(handler.node);
    const notified = batch.filter((host) => host.active && topics.some((topic) => host.notified.has(topic)));
    if (notified.length > 0) await runTask(run, scope, handler, notified, forks);
  }
  for (const host of batch) host.notified.clear();
}

function recordTiming(run: RunContext, task: EffectiveTask, durationMs: number): void {
  const entry = run.timings.get(task.ref.id);
  if (entry === undefined) run.timings.set(task.ref.id, { task: task.ref.name, source: task.ref.source, durationMs });
  else entry.durationMs += durationMs;
}
