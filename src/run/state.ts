import type { EventBus, HostStats, TaskRef } from '../events.js';
import { emptyStats } from '../events.js';
import type { Inventory } from '../inventory/index.js';
import type { EnvironmentSpec, TaskNode } from '../load/model.js';
import type { ConnectionPool } from './connections.js';
import type { CommandClock } from './timed-connection.js';
import type { GatherAhead } from './gather-ahead.js';
import type { EngineOptions } from './options.js';

/** What the engine knows of a host across the whole run. */
export class HostRun {
  readonly stats: HostStats = emptyStats();
  /** Registered results and set_fact values: data, never rendered again. */
  readonly facts: Record<string, unknown> = {};
  /** include_vars values: above task vars, below set_fact and registered values, as in Ansible. */
  readonly includedVars: Record<string, unknown> = {};
  /** Gathered facts (`facts` and the ansible_* aliases), once per run; below play vars in precedence. */
  gatheredFacts: Readonly<Record<string, unknown>> | undefined;
  readonly notified = new Set<string>();
  failed = false;
  unreachable = false;

  constructor(
    readonly name: string,
    readonly inventoryVars: Readonly<Record<string, unknown>>,
  ) {}

  get active(): boolean {
    return !this.failed && !this.unreachable;
  }
}

/** Shared by every play of a run. */
export interface RunContext {
  readonly inventory: Inventory;
  readonly hosts: Map<string, HostRun>;
  readonly groups: Readonly<Record<string, string[]>>;
  readonly pool: ConnectionPool;
  readonly bus: EventBus;
  readonly options: EngineOptions;
  readonly playbookDir: string;
  readonly timings: Map<string, { task: string; source: string; durationMs: number }>;
  /** Time spent waiting on hosts; with parallel hosts it can exceed the wall time. */
  readonly commandClock: CommandClock;
  /** Gathers started ahead of their tasks' turns, per host. */
  readonly gatherAhead: GatherAhead;
  /** Values of secret parameters seen so far; every output is scrubbed of them. */
  readonly secrets: Set<string>;
  interrupted: boolean;
}

/** Keywords that flow from the play and enclosing blocks down to each task, already merged. */
export interface InheritedKeywords {
  readonly when: readonly unknown[];
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  /** Outermost first; rendered and merged per task (src/run/environment.ts). */
  readonly environment: readonly EnvironmentSpec[];
  readonly become: boolean;
  readonly becomeUser?: string;
  readonly ignoreErrors: boolean;
  readonly noLog: boolean;
  readonly checkMode?: boolean;
  readonly delegateTo?: string;
  readonly runOnce: boolean;
  readonly timeoutSeconds?: number;
  /** Inside a block with a rescue section: a failure is not final yet. */
  readonly rescuable: boolean;
  readonly anyErrorsFatal: boolean;
}

/** A task with the keywords of its enclosing blocks and play folded in. */
export interface EffectiveTask extends Omit<InheritedKeywords, 'tags'> {
  readonly node: TaskNode;
  readonly ref: TaskRef;
  readonly tags: ReadonlySet<string>;
}

/** What happened to one host on one task. */
export type HostOutcome = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'ignored';
