import type { EngineEvent, HostStats } from '../events.js';
import { painter, visibleLength } from './style.js';
import type { Colour } from './style.js';

/** Ansible pads host names to 26 columns in the recap; longer names widen the column instead. */
const HOST_COLUMN = 26;
/** Ansible's banner and profile_tasks width for a non-terminal display. */
const COLUMNS = 79;

const FIELDS: ReadonlyArray<readonly [keyof HostStats, Colour]> = [
  ['ok', 'green'],
  ['changed', 'yellow'],
  ['unreachable', 'red'],
  ['failed', 'red'],
  ['skipped', 'cyan'],
  ['rescued', 'green'],
  ['ignored', 'magenta'],
];

/**
 * The PLAY RECAP body, one line per host sorted by name, as Ansible lays it out:
 * "web1                       : ok=1    changed=0    unreachable=0    failed=0 …".
 * Each line ends with '\n'; trailing blanks are trimmed.
 */
export function formatRecap(stats: Readonly<Record<string, HostStats>>, color: boolean): string {
  const paint = painter(color);
  const hosts = Object.keys(stats).sort();
  const width = Math.max(HOST_COLUMN, ...hosts.map((host) => host.length));
  return hosts
    .map((host) => {
      const entry = stats[host]!;
      const name = paint(hostColour(entry), host);
      const fields = FIELDS.map(([field, colour]) => {
        const text = `${field}=${entry[field]}`.padEnd(field.length + 5);
        return entry[field] === 0 ? text : paint(colour, text);
      });
      return `${name}${' '.repeat(width - visibleLength(name))} : ${fields.join(' ')}`.trimEnd() + '\n';
    })
    .join('');
}

function hostColour(entry: HostStats): Colour {
  if (entry.failed > 0 || entry.unreachable > 0) return 'red';
  return entry.changed > 0 ? 'yellow' : 'green';
}

/** Ansible's banner: "TASK [name] ****…" filled with stars to the display width. */
export function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, COLUMNS - title.length))}`;
}

export interface TaskTiming {
  readonly task: string;
  readonly source: string;
  readonly durationMs: number;
}

/** profile_tasks' summary: slowest first, top 20, "name (file:line:col) ----- 0.12s". */
export function formatTimings(timings: readonly TaskTiming[], limit = 20): string {
  return [...timings]
    .sort((left, right) => right.durationMs - left.durationMs)
    .slice(0, limit)
    .map((timing) => {
      const label = `${timing.task} (${timing.source}) `;
      const seconds = ` ${(timing.durationMs / 1000).toFixed(2)}s`;
      return `${label.padEnd(COLUMNS - 9, '-')}${seconds.padStart(9, '-')}\n`;
    })
    .join('');
}

/** PLAY RECAP, and with -v the slowest tasks (profile_tasks) and the total time. */
export function recapLines(event: Extract<EngineEvent, { type: 'recap' }>, verbose: boolean, color: boolean): string[] {
  const paint = painter(color);
  const lines = ['', paint('bold', banner('PLAY RECAP')), formatRecap(event.stats, color)];
  if (verbose && event.timings.length > 0) {
    lines.push(paint('bold', banner('TASK TIMINGS')), formatTimings(event.timings));
  }
  if (verbose) lines.push(`Playbook run took ${seconds(event.durationMs)}, ${seconds(event.commandMs)} of it in host commands`, '');
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}
