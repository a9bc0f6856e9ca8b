import type { EventBus } from '../events.js';
import { deferred, flush } from './flush.js';
import { hostResultLines, taskBanner, warningLine } from './host-lines.js';
import { banner, recapLines } from './recap.js';
import { painter } from './style.js';
import type { Renderer, ResolvedOptions } from './types.js';

/** Ansible-like lines for CI logs: written as events arrive, nothing redrawn. */
export function attachPlain(bus: EventBus, options: ResolvedOptions): Renderer {
  const paint = painter(options.color);
  const finished = deferred();
  const write = (lines: readonly string[]) => {
    if (lines.length > 0) options.out.write(`${lines.join('\n')}\n`);
  };
  // The task whose banner was printed last; with strategy free, results of tasks interleave.
  let current: string | undefined;
  const unsubscribe = bus.subscribe((event) => {
    switch (event.type) {
      case 'playbook_start':
        if (options.verbose) write(['', paint('bold', banner(`PLAYBOOK: ${event.file}${event.check ? ' (check mode)' : ''}`))]);
        break;
      case 'play_start':
        current = undefined;
        write(['', paint('bold', banner(`PLAY [${event.name}]`))]);
        break;
      case 'task_start':
        current = event.task.id;
        write(['', paint('bold', taskBanner(event.task))]);
        break;
      case 'host_result':
        if (current !== event.task.id) {
          current = event.task.id;
          write(['', paint('bold', taskBanner(event.task))]);
        }
        write(hostResultLines(event, { verbose: options.verbose, diff: options.diff, paint }));
        break;
      case 'task_end':
        break;
      case 'warning':
        write([warningLine(event, paint)]);
        break;
      case 'interrupted':
        write([paint('red', '[ERROR]: User interrupted execution')]);
        break;
      case 'recap':
        unsubscribe();
        write(recapLines(event, options.verbose, options.color));
        void flush(options.out).then(finished.resolve);
        break;
    }
  });
  return { done: () => finished.promise };
}
