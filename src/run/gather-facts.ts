import { UnreachableError } from '../connection/types.js';
import { renderEnvironment } from './environment.js';
import type { TaskRef } from '../events.js';
import { FactCache } from '../facts/cache.js';
import { gatherFacts } from '../facts/gather.js';
import type { Facts } from '../facts/types.js';
import { factVariables } from '../facts/variables.js';
import type { Play } from '../load/model.js';
import { locate } from '../load/yaml-source.js';
import { becomePassword } from './execute-task.js';
import { mapLimited } from './limit.js';
import { redact } from './secrets.js';
import type { HostRun, RunContext } from './state.js';
import { isSelectedByTags } from './tags.js';
import type { PlayScope } from './task-vars.js';
import { variablesAt } from './task-vars.js';

/** Ansible tags its implicit setup task 'always': only --skip-tags always leaves facts out. */
export function gathersFacts(run: RunContext, play: Play): boolean {
  return play.gather_facts && isSelectedByTags(new Set(['always']), run.options.tags, run.options.skipTags);
}

/**
 * The "Gathering Facts" step at the start of a play (of each serial batch): one command per host, none for
 * a host whose facts are already known in this run or fresh in --fact-cache. Shown and counted like a task.
 */
export async function gatherPlayFacts(run: RunContext, scope: PlayScope, hosts: readonly HostRun[], forks: number): Promise<void> {
  const position = locate(scope.play.ref.source, scope.play.ref.path);
  const source = `${position.file}:${position.line}:${position.col}`;
  const ref: TaskRef = { id: `gather_facts@${source}`, name: 'Gathering Facts', module: 'gather_facts', source, isHandler: false, noLog: false };
  const cache = run.options.factCache === undefined ? undefined : new FactCache(run.options.factCache.dir, run.options.factCache.ttlSeconds);
  const started = performance.now();
  run.bus.emit({ type: 'task_start', task: ref, hosts: hosts.map((host) => host.name) });
  await mapLimited(hosts, forks, async (host) => {
    if (run.interrupted) return;
    const hostStarted = performance.now();
    const outcome = await factsOf(run, scope, host, cache);
    if (outcome.kind === 'ok') {
      host.gatheredFacts = factVariables(outcome.facts);
      host.stats.ok++;
    } else if (outcome.kind === 'unreachable') {
      host.stats.unreachable++;
      host.unreachable = true;
    } else {
      host.stats.failed++;
      host.failed = true;
    }
    const result = outcome.kind === 'ok' ? { changed: false, ...(outcome.from === 'host' ? {} : { msg: outcome.from }), facts: outcome.facts } : { changed: false, [outcome.kind]: true, msg: outcome.message };
    run.bus.emit({ type: 'host_result', task: ref, host: host.name, status: outcome.kind, result: redact(result, run.secrets), durationMs: performance.now() - hostStarted });
  });
  const durationMs = performance.now() - started;
  run.bus.emit({ type: 'task_end', task: ref, durationMs });
  const timing = run.timings.get(ref.id);
  if (timing === undefined) run.timings.set(ref.id, { task: ref.name, source, durationMs });
  else timing.durationMs += durationMs;
}

type FactsOutcome = { kind: 'ok'; facts: Facts; from: string } | { kind: 'failed' | 'unreachable'; message: string };

async function factsOf(run: RunContext, scope: PlayScope, host: HostRun, cache: FactCache | undefined): Promise<FactsOutcome> {
  const known = host.gatheredFacts?.facts as Facts | undefined;
  if (known !== undefined) return { kind: 'ok', facts: known, from: 'facts already gathered in this run' };
  try {
    const cached = await cache?.read(host.name);
    if (cached !== undefined) {
      return { kind: 'ok', facts: cached.facts, from: `facts from ${cache!.fileOf(host.name)} (${Math.round(cached.ageSeconds)} s old)` };
    }
    // The play's variables reach the connection (ansible_host, ansible_user…), its environment and become the script.
    const vars = variablesAt(run, scope, { vars: {} }, host);
    const connection = run.commandClock.wrap(await run.pool.get(host.name, vars));
    const { play } = scope;
    const become = play.become === true ? { user: play.become_user, password: becomePassword(vars) } : undefined;
    const env = renderEnvironment(play.environment === undefined ? [] : [play.environment], vars);
    const facts = await gatherFacts(connection, { become, env });
    // A cache that cannot be written costs the next run a gathering; it does not fail this one.
    await cache?.write(host.name, facts).catch((error: unknown) => run.bus.emit({ type: 'warning', host: host.name, message: `fact cache not written: ${error instanceof Error ? error.message : String(error)}` }));
    return { kind: 'ok', facts, from: 'host' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: error instanceof UnreachableError ? 'unreachable' : 'failed', message };
  }
}
