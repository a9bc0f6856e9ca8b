import type { EngineEvent, TaskRef } from '../events.js';
import { NO_LOG_ITEM, NO_LOG_MESSAGE } from '../run/no-log.js';
import { toJson } from './json-safe.js';
import { banner } from './recap.js';
import type { Paint } from './style.js';
import { unifiedDiff } from './unified-diff.js';

export type HostResultEvent = Extract<EngineEvent, { type: 'host_result' }>;

export interface LineOptions {
  readonly verbose: boolean;
  readonly diff: boolean;
  readonly paint: Paint;
}

const STATUS_COLOUR = { ok: 'green', changed: 'yellow', skipped: 'cyan', failed: 'red', unreachable: 'red' } as const;
/** Result keys that only restate the status; debug output leaves them out, as Ansible does. */
const STATUS_KEYS = new Set(['changed', 'failed', 'skipped', 'unreachable', 'censored']);

/** The Ansible-style lines for one host result: the status line, then details, then diffs. */
export function hostResultLines(event: HostResultEvent, options: LineOptions): string[] {
  const { paint } = options;
  const colour = STATUS_COLOUR[event.status];
  const censored = event.task.noLog;
  const item = event.item === undefined ? '' : `(item=${censored ? NO_LOG_ITEM : event.item})`;
  const lines: string[] = [];
  const used = new Set<string>();
  switch (event.status) {
    case 'failed':
    case 'unreachable': {
      const message = censored ? censoredJson() : failureMessage(event.result, used);
      const head = event.status === 'failed' ? `failed: [${event.host}]` : `fatal: [${event.host}]: UNREACHABLE!`;
      lines.push(paint(colour, `${head}${item ? ` ${item}` : ''} => ${indentTail(message)}`));
      if (event.ignored === true) lines.push(paint('cyan', '...ignoring'));
      break;
    }
    default: {
      const head = `${event.status === 'skipped' ? 'skipping' : event.status}: [${event.host}]${item ? ` => ${item}` : ''}`;
      if (censored && options.verbose) lines.push(paint(colour, `${head} => ${censoredJson()}`));
      else if (!censored && event.task.module === 'debug' && event.status === 'ok') lines.push(paint(colour, `${head} => ${debugJson(event.result)}`));
      else lines.push(paint(colour, head));
    }
  }
  if (options.verbose && !censored && event.task.module !== 'debug') lines.push(...detailLines(event.result, used));
  if (options.diff && !censored) lines.push(...diffLines(event, paint));
  return lines;
}

/** Unified diffs of the files a result changed (or would change, in check mode), coloured like Ansible. */
export function diffLines(event: HostResultEvent, paint: Paint): string[] {
  const lines: string[] = [];
  for (const diff of event.diff ?? []) {
    const path = diff.path ?? '';
    const text = unifiedDiff(diff.before, diff.after, { fromFile: `before: ${path}`.trimEnd(), toFile: `after: ${path}`.trimEnd() });
    for (const line of text.split('\n').slice(0, -1)) lines.push(paint(diffColour(line), line));
  }
  return lines;
}

function diffColour(line: string): 'green' | 'red' | 'cyan' | 'dim' {
  if (line.startsWith('+')) return 'green';
  if (line.startsWith('-')) return 'red';
  return line.startsWith('@@') ? 'cyan' : 'dim';
}

/** What a failure says: its msg, else stderr, else the whole result. */
function failureMessage(result: Readonly<Record<string, unknown>>, used: Set<string>): string {
  for (const key of ['msg', 'stderr', 'stdout']) {
    const text = asText(result[key]);
    if (text !== undefined && text.trim() !== '') {
      used.add(key);
      return text.trimEnd();
    }
  }
  return toJson(result);
}

/** With -v: msg, stdout and stderr under the status line, each multi-line value as a block. */
function detailLines(result: Readonly<Record<string, unknown>>, used: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const key of ['msg', 'stdout', 'stderr']) {
    const text = used.has(key) ? undefined : asText(result[key])?.trimEnd();
    if (text === undefined || text === '') continue;
    if (text.includes('\n')) lines.push(`  ${key}: |`, ...text.split('\n').map((line) => `    ${line}`));
    else lines.push(`  ${key}: ${text}`);
  }
  return lines;
}

/** debug prints its value always; for `var:` the variable's own key is clearer than msg. */
function debugJson(result: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(result).filter(([key]) => !STATUS_KEYS.has(key) && !key.startsWith('_'));
  const named = entries.filter(([key]) => key !== 'msg');
  return toJson(Object.fromEntries(named.length > 0 ? named : entries), 4);
}

function censoredJson(): string {
  return toJson({ censored: NO_LOG_MESSAGE });
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return toJson(value);
}

/** Continuation lines of a multi-line message are indented so the log stays scannable. */
function indentTail(text: string): string {
  return text.replace(/\n/g, '\n    ');
}

/** The banner over a task's results; handlers read RUNNING HANDLER, as in Ansible. */
export function taskBanner(task: TaskRef): string {
  return banner(`${task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${task.name || task.module}]`);
}

/** Ansible's warning line, naming the host when the warning is about one. */
export function warningLine(event: Extract<EngineEvent, { type: 'warning' }>, paint: Paint): string {
  return paint('magenta', `[WARNING]: ${event.host === undefined ? '' : `[${event.host}] `}${event.message}`);
}
