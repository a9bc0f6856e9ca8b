import type { EventBus, TaskRef } from '../events.js';
import { deferred, flush, SerialQueue } from './flush.js';
import { hostResultLines, warningLine } from './host-lines.js';
import type { HostResultEvent } from './host-lines.js';
import { showTask } from './listr-view.js';
import { banner, recapLines } from './recap.js';
import { painter } from './style.js';
import { TaskProgress } from './task-progress.js';
import type { Renderer, ResolvedOptions } from './types.js';

/**
 * The live view for a terminal: one listr2 view per task run, shown one after another through a
 * queue (runs overlap only with strategy free, and then wait their turn). Lines worth keeping,
 * such as failures, debug output and diffs, are printed below each task once its view is done.
 */
export function attachTty(bus: EventBus, options: ResolvedOptions): Renderer {
  const paint = painter(options.color);
  const terminal = options.out as { isTTY?: boolean; columns?: number };
  // A pseudo-terminal without a size (columns 0, as under some CI runners) would garble the redraws.
  const live = terminal.isTTY === true && (terminal.columns === undefined || terminal.columns >= 20);
  const view = { out: options.out, paint, color: options.color, live };
  const finished = deferred();
  const write = (lines: readonly string[]) => {
    if (lines.length > 0) options.out.write(`${lines.join('\n')}\n`);
  };
  const queue = new SerialQueue((error) => write([paint('red', `[ERROR]: live view: ${error instanceof Error ? error.message : String(error)}`)]));
  const open = new Map<string, TaskProgress[]>();

  const details = (results: readonly HostResultEvent[]) =>
    results.flatMap((result) => (worthKeeping(result, options) ? hostResultLines(result, { verbose: options.verbose, diff: options.diff, paint }) : []));

  const unsubscribe = bus.subscribe((event) => {
    switch (event.type) {
      case 'playbook_start':
        if (options.verbose) queue.run(() => write(['', paint('bold', banner(`PLAYBOOK: ${event.file}${event.check ? ' (check mode)' : ''}`))]));
        break;
      case 'play_start':
        queue.run(() => write(['', paint('bold', banner(`PLAY [${event.name}]`))]));
        break;
      case 'task_start': {
        const progress = new TaskProgress(event.task, event.hosts);
        open.set(event.task.id, [...(open.get(event.task.id) ?? []), progress]);
        queue.run(async () => {
          await showTask(progress, view);
          write(details(progress.results));
        });
        break;
      }
      case 'host_result': {
        const runs = open.get(event.task.id) ?? [];
        const progress = runs.find((run) => run.expects(event.host)) ?? runs[0];
        if (progress) progress.record(event);
        else queue.run(() => write(hostResultLines(event, { verbose: options.verbose, diff: options.diff, paint })));
        break;
      }
      case 'task_end':
        close(open, event.task);
        break;
      case 'warning':
        queue.run(() => write([warningLine(event, paint)]));
        break;
      case 'interrupted':
        queue.run(() => write([paint('red', '[ERROR]: User interrupted execution')]));
        break;
      case 'recap':
        unsubscribe();
        // A run the engine never ended must not hold the queue (and the recap) forever.
        for (const runs of open.values()) for (const run of runs) run.end();
        open.clear();
        queue.run(async () => {
          write(recapLines(event, options.verbose, options.color));
          await flush(options.out);
          finished.resolve();
        });
        break;
    }
  });
  return { done: () => finished.promise };
}

/** task_end closes the run that has all its results (strategy free), else the oldest. */
function close(open: Map<string, TaskProgress[]>, task: TaskRef): void {
  const runs = open.get(task.id) ?? [];
  const run = runs.find((candidate) => candidate.allReported) ?? runs[0];
  if (!run) return;
  run.end();
  const rest = runs.filter((candidate) => candidate !== run);
  if (rest.length > 0) open.set(task.id, rest);
  else open.delete(task.id);
}

/** Below the live view: everything with -v; otherwise failures, debug output and diffs. */
function worthKeeping(result: HostResultEvent, options: ResolvedOptions): boolean {
  if (options.verbose) return true;
  if (result.status === 'failed' || result.status === 'unreachable') return true;
  if (result.task.module === 'debug' && result.status === 'ok') return true;
  return options.diff && (result.diff?.length ?? 0) > 0;
}
