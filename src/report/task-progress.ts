import type { HostStatus, TaskRef } from '../events.js';
import type { HostResultEvent } from './host-lines.js';
import type { Paint } from './style.js';

/** How one host ended a task; with loops, the worst of its items. */
type Outcome = HostStatus | 'ignored';

/** Worst first: a host's task outcome is the first of these that any of its items reached. */
const SEVERITY: readonly Outcome[] = ['failed', 'unreachable', 'ignored', 'changed', 'ok', 'skipped'];
const MORE_HOSTS_SHOWN = 5;

/**
 * One run of one task over its hosts (task_start … task_end), for the live view. With strategy
 * free the same task runs once per host, so there may be several for one task id at a time.
 */
export class TaskProgress {
  readonly results: HostResultEvent[] = [];
  private readonly outcomes = new Map<string, Outcome>();
  private finish = () => {};
  /** Resolves at task_end. */
  readonly ended: Promise<void> = new Promise((resolve) => {
    this.finish = resolve;
  });
  private closed = false;

  constructor(
    readonly task: TaskRef,
    readonly hosts: readonly string[],
  ) {}

  get isOpen(): boolean {
    return !this.closed;
  }

  expects(host: string): boolean {
    return !this.closed && this.hosts.includes(host);
  }

  get allReported(): boolean {
    return this.hosts.every((host) => this.outcomes.has(host));
  }

  record(event: HostResultEvent): void {
    this.results.push(event);
    const outcome: Outcome = event.status === 'failed' && event.ignored === true ? 'ignored' : event.status;
    const previous = this.outcomes.get(event.host);
    if (previous === undefined || SEVERITY.indexOf(outcome) < SEVERITY.indexOf(previous)) this.outcomes.set(event.host, outcome);
  }

  end(): void {
    this.closed = true;
    this.finish();
  }

  /** Hosts that failed (not ignored) or were unreachable in this run. */
  get failedHosts(): string[] {
    return [...this.outcomes].filter(([, outcome]) => outcome === 'failed' || outcome === 'unreachable').map(([host]) => host);
  }

  /** "ok=3 changed=1 failed=0", plus skipped/unreachable/ignored when there are any. */
  summary(paint: Paint): string {
    const field = (name: string, outcome: Outcome, colour: Parameters<Paint>[0], always: boolean) => {
      const count = this.count(outcome);
      if (count === 0 && !always) return [];
      const text = `${name}=${count}`;
      return [count === 0 ? text : paint(colour, text)];
    };
    return [
      ...field('ok', 'ok', 'green', true),
      ...field('changed', 'changed', 'yellow', true),
      ...field('failed', 'failed', 'red', true),
      ...field('unreachable', 'unreachable', 'red', false),
      ...field('skipped', 'skipped', 'cyan', false),
      ...field('ignored', 'ignored', 'magenta', false),
    ].join(' ');
  }

  /** The live line under a running task: counts so far and the hosts still running. */
  progressLine(paint: Paint): string {
    const running = this.hosts.filter((host) => !this.outcomes.has(host));
    if (running.length === 0) return this.summary(paint);
    const shown = running.slice(0, MORE_HOSTS_SHOWN).join(', ');
    const more = running.length > MORE_HOSTS_SHOWN ? ` +${running.length - MORE_HOSTS_SHOWN} more` : '';
    return `${this.summary(paint)}  running (${running.length}): ${shown}${more}`;
  }

  private count(outcome: Outcome): number {
    let total = 0;
    for (const value of this.outcomes.values()) if (value === outcome) total++;
    return total;
  }
}
