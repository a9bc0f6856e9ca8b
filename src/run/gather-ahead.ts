import { builtinModules, findModule } from '../module/registry.js';
import type { EffectiveNode } from './effective.js';
import type { EffectiveTask, HostRun } from './state.js';

/** A gather started before its task's turn: valid while its params render the same and no task acted. */
export interface Ahead {
  /** The rendered params it gathered for, as JSON: the task's own render must match. */
  readonly key: string;
  readonly state: Promise<unknown>;
}

export type AheadStarter = (task: EffectiveTask, host: HostRun) => Ahead | undefined;

/** The most tasks' gathers a host reads ahead: one pipelined write of about that many commands. */
const MAX_WINDOW = 16;
/** Where a window size starts, and its floor: on a first run most tasks act, and each act wastes what was read. */
const MIN_WINDOW = 2;

/** Built-ins that neither touch the host nor set variables: a window reads ahead across them. */
const TRANSPARENT = new Set(['debug', 'assert', 'fail']);

interface HostWindow {
  readonly nodes: readonly EffectiveNode[];
  readonly from: number;
  readonly to: number;
  readonly entries: Map<EffectiveTask, Ahead>;
}

/**
 * Gathers read ahead (ISSUES #16 lever 2). Before a task runs on a host, the gathers of the next tasks whose
 * modules only read (ModuleMeta.gatherReadsOnly) start at once: their commands pipeline into the host's
 * persistent shell, so ten no-change tasks cost about one round trip instead of ten. Each is used only while it
 * is still the answer a gather at the task's turn would give:
 * - the window ends at anything that may change the host or the variables (command, shell, a registered
 *   result, set_fact, a loop, a delegated or run_once task, a block or include);
 * - its params must render the same at the task's turn;
 * - when any task on any host acts (applies a change, runs a command, fails), every read-ahead is dropped,
 *   as hosts may share a machine.
 * A read-ahead that failed is gathered again at the task's turn, so errors are the task's own.
 * RACKPLAY_GATHER_AHEAD=0 turns it off (the test comparing both ways uses it).
 */
export class GatherAhead {
  private readonly windows = new Map<HostRun, HostWindow>();
  /** Halves when an act drops unused read-aheads, doubles when a window is used up: large on no-change runs only. */
  private size = MIN_WINDOW;

  constructor(readonly enabled = process.env.RACKPLAY_GATHER_AHEAD !== '0') {}

  /** Before nodes[index] runs on this host (inside its fork slot): starts a window unless its current one covers it. */
  prepare(nodes: readonly EffectiveNode[], index: number, host: HostRun, start: AheadStarter): void {
    if (!this.enabled) return;
    const current = this.windows.get(host);
    if (current !== undefined && current.nodes === nodes && index >= current.from && index <= current.to) return;
    this.windows.delete(host);
    const window = windowFrom(nodes, index, this.size);
    // One gather alone gains nothing from running early.
    if (window.tasks.length < 2) return;
    const entries = new Map<EffectiveTask, Ahead>();
    for (const task of window.tasks) {
      const ahead = start(task, host);
      if (ahead !== undefined) entries.set(task, ahead);
    }
    this.windows.set(host, { nodes, from: index, to: window.to, entries });
  }

  /** The read-ahead gather of this task on this host, if it gathered for these rendered params. */
  take(task: EffectiveTask, host: HostRun, params: unknown): Promise<unknown> | undefined {
    const entries = this.windows.get(host)?.entries;
    const ahead = entries?.get(task);
    if (ahead === undefined) return undefined;
    entries!.delete(task);
    if (entries!.size === 0) this.size = Math.min(MAX_WINDOW, this.size * 2);
    return ahead.key === JSON.stringify(params) ? ahead.state : undefined;
  }

  /** A task acted somewhere: what was read before may no longer hold on any host. */
  forgetAll(): void {
    if ([...this.windows.values()].some((window) => window.entries.size > 0)) this.size = Math.max(MIN_WINDOW, this.size / 2);
    this.windows.clear();
  }
}

/** The tasks from nodes[index] on whose gathers may run now, and the last node index the window covers. */
function windowFrom(nodes: readonly EffectiveNode[], index: number, size: number): { tasks: EffectiveTask[]; to: number } {
  const tasks: EffectiveTask[] = [];
  let to = index;
  for (let at = index; at < nodes.length && tasks.length < size; at++) {
    const node = nodes[at]!;
    if (node.kind !== 'task') break;
    const task = node.task;
    const module = findModule(task.node.module);
    if (module === undefined) break;
    const transparent = TRANSPARENT.has(task.node.module) && builtinModules.get(task.node.module) === module && task.node.keywords.register === undefined;
    if (!transparent && !readsAhead(task, module.meta.gatherReadsOnly === true)) break;
    to = at;
    if (transparent) continue;
    tasks.push(task);
    if (task.node.keywords.register !== undefined) break;
  }
  return { tasks, to };
}

function readsAhead(task: EffectiveTask, gatherReadsOnly: boolean): boolean {
  const keywords = task.node.keywords as { loop?: unknown; with_items?: unknown };
  return gatherReadsOnly && keywords.loop === undefined && keywords.with_items === undefined && task.delegateTo === undefined && !task.runOnce;
}

/** Whether a finished task may have changed a host: then no read-ahead holds any more. */
export function taskActed(module: { meta: { gatherReadsOnly?: boolean; controllerOnly?: boolean } } | undefined, status: string, applied: boolean): boolean {
  if (status === 'skipped') return false;
  if (applied || status === 'failed' || status === 'unreachable' || status === 'ignored') return true;
  return module === undefined || !(module.meta.gatherReadsOnly === true || module.meta.controllerOnly === true);
}
