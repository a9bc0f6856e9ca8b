import type { EngineEvent, EventBus } from '../events.js';
import { maskResult, NO_LOG_ITEM } from '../run/no-log.js';
import { deferred, flush } from './flush.js';
import { jsonSafe } from './json-safe.js';
import type { Renderer, ResolvedOptions } from './types.js';

/** JSON Lines: every event as emitted plus `time`, one object per line; the recap comes last. */
export function attachJsonLines(bus: EventBus, options: ResolvedOptions): Renderer {
  const finished = deferred();
  const unsubscribe = bus.subscribe((event) => {
    options.out.write(`${JSON.stringify({ ...(jsonSafe(censor(event)) as object), time: new Date().toISOString() })}\n`);
    if (event.type === 'recap') {
      unsubscribe();
      void flush(options.out).then(finished.resolve);
    }
  });
  return { done: () => finished.promise };
}

/**
 * The engine masks no_log results already; masking again is idempotent and keeps this output
 * safe on its own. Item labels can carry the secret too, so they become Ansible's "None".
 */
function censor(event: EngineEvent): EngineEvent {
  if (event.type !== 'host_result' || !event.task.noLog) return event;
  return { ...event, result: maskResult(event.result), item: event.item === undefined ? undefined : NO_LOG_ITEM, diff: undefined };
}
