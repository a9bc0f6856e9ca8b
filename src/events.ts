import type { FileDiff } from './module/contract.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskRef {
  /** Unique within a run. */
  readonly id: string;
  readonly name: string;
  readonly module: string;
  /** file:line:col of the task. */
  readonly source: string;
  readonly isHandler: boolean;
  readonly noLog: boolean;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/** Everything the engine tells the world. Renderers subscribe; the engine never prints. */
export type EngineEvent =
  | { readonly type: 'playbook_start'; readonly file: string; readonly check: boolean }
  | { readonly type: 'play_start'; readonly name: string; readonly hosts: readonly string[] }
  | { readonly type: 'task_start'; readonly task: TaskRef; readonly hosts: readonly string[] }
  | {
      readonly type: 'host_result';
      readonly task: TaskRef;
      readonly host: string;
      readonly status: HostStatus;
      /** The failure was ignored (ignore_errors) or rescued by a block. */
      readonly ignored?: boolean;
      /** Already masked when the task has no_log. */
      readonly result: Readonly<Record<string, unknown>>;
      readonly item?: string;
      readonly diff?: readonly FileDiff[];
      readonly durationMs: number;
    }
  | { readonly type: 'task_end'; readonly task: TaskRef; readonly durationMs: number }
  | { readonly type: 'warning'; readonly message: string; readonly host?: string }
  | { readonly type: 'interrupted' }
  | {
      readonly type: 'recap';
      readonly stats: Readonly<Record<string, HostStats>>;
      readonly durationMs: number;
      /** Time spent inside host connections (commands, puts, gets), summed over hosts. */
      readonly commandMs: number;
      /** How many commands, puts and gets went to hosts. */
      readonly commandCount: number;
      readonly exitCode: number;
      /** Per task, total wall time in ms, for -v. */
      readonly timings: readonly { readonly task: string; readonly source: string; readonly durationMs: number }[];
    };

export type EventListener = (event: EngineEvent) => void;

/** A tiny typed event bus; renderers and tests subscribe. */
export class EventBus {
  private readonly listeners: EventListener[] = [];

  subscribe(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}
