import type { EngineEvent, EventBus, HostStats } from '../events.js';
import { groupsMap, hostVariables } from '../inventory/index.js';
import type { Inventory } from '../inventory/index.js';
import type { Playbook } from '../load/model.js';
import { ConnectionPool } from './connections.js';
import type { SshOpener } from './connections.js';
import type { EngineOptions } from './options.js';
import { runPlay } from './play-runner.js';
import { RedactingBus } from './secrets.js';
import { HostRun } from './state.js';
import { GatherAhead } from './gather-ahead.js';
import { CommandClock } from './timed-connection.js';
import type { RunContext } from './state.js';

export const EXIT = { ok: 0, error: 1, hostFailed: 2, hostUnreachable: 3, invalid: 4, badOptions: 5, interrupted: 99, unexpected: 250 } as const;

export interface RunOutcome {
  readonly exitCode: number;
  readonly stats: Readonly<Record<string, HostStats>>;
  /** Tasks that reported changed, with the hosts: --verify-idempotent reads this from the second pass. */
  readonly changedTasks: readonly { readonly task: string; readonly source: string; readonly hosts: readonly string[] }[];
}

/** Runs validated playbooks against an inventory; everything observable goes out as events. */
export async function runPlaybooks(playbooks: readonly Playbook[], inventory: Inventory, options: EngineOptions, bus: EventBus, openSsh: SshOpener): Promise<RunOutcome> {
  const started = performance.now();
  // Vault values are known before the run; x-secret parameters join as tasks render them.
  const secrets = new Set(options.secrets);
  const run: RunContext = {
    inventory,
    hosts: new Map([...inventory.hosts.keys()].map((name) => [name, new HostRun(name, hostVariables(inventory, name))])),
    groups: groupsMap(inventory),
    pool: new ConnectionPool(openSsh, secrets),
    bus: new RedactingBus(bus, secrets),
    options,
    playbookDir: playbooks[0]?.baseDir ?? process.cwd(),
    timings: new Map(),
    commandClock: new CommandClock(),
    gatherAhead: new GatherAhead(),
    secrets,
    interrupted: false,
  };
  const changed = collectChangedTasks(bus);
  const touched = new Set<string>();
  const stopOnAbort = () => {
    run.interrupted = true;
    bus.emit({ type: 'interrupted' });
  };
  options.signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    for (const playbook of playbooks) {
      bus.emit({ type: 'playbook_start', file: playbook.file, check: options.check });
      for (const play of playbook.plays) {
        if (run.interrupted) break;
        ensureImplicitHosts(run, play.hosts);
        const unsubscribe = bus.subscribe((event) => {
          if (event.type === 'play_start') for (const host of event.hosts) touched.add(host);
        });
        await runPlay(run, play);
        unsubscribe();
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stopOnAbort);
    await run.pool.closeAll();
    changed.stop();
  }
  const stats = Object.fromEntries([...touched].map((name) => [name, run.hosts.get(name)!.stats]));
  const exitCode = exitCodeFor(run.interrupted, Object.values(stats));
  bus.emit({ type: 'recap', stats, durationMs: performance.now() - started, commandMs: run.commandClock.totalMs, commandCount: run.commandClock.calls, exitCode, timings: [...run.timings.values()] });
  return { exitCode, stats, changedTasks: changed.result() };
}

/** 'localhost' is usable in a play even when the inventory does not name it, as in Ansible. */
function ensureImplicitHosts(run: RunContext, pattern: string): void {
  if (run.hosts.has('localhost') || !/(^|[:,])localhost($|[:,])/.test(pattern)) return;
  run.hosts.set('localhost', new HostRun('localhost', { inventory_hostname: 'localhost', ansible_connection: 'local', group_names: [] }));
}

function exitCodeFor(interrupted: boolean, stats: readonly HostStats[]): number {
  if (interrupted) return EXIT.interrupted;
  if (stats.some((entry) => entry.failed > 0)) return EXIT.hostFailed;
  if (stats.some((entry) => entry.unreachable > 0)) return EXIT.hostUnreachable;
  return EXIT.ok;
}

function collectChangedTasks(bus: EventBus) {
  const byTask = new Map<string, { task: string; source: string; hosts: Set<string> }>();
  const unsubscribe = bus.subscribe((event: EngineEvent) => {
    if (event.type !== 'host_result' || event.status !== 'changed') return;
    const entry = byTask.get(event.task.id) ?? { task: event.task.name, source: event.task.source, hosts: new Set<string>() };
    entry.hosts.add(event.host);
    byTask.set(event.task.id, entry);
  });
  return {
    stop: unsubscribe,
    result: () => [...byTask.values()].map((entry) => ({ task: entry.task, source: entry.source, hosts: [...entry.hosts] })),
  };
}
