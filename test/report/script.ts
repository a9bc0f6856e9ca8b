import { PassThrough } from 'node:stream';
import type { EngineEvent, HostStats, TaskRef } from '../../src/events.js';
import { EventBus } from '../../src/events.js';

const task = (id: string, name: string, module = 'command', extra: Partial<TaskRef> = {}): TaskRef => ({
  id,
  name,
  module,
  source: `site.yml:${id}:5`,
  isHandler: false,
  noLog: false,
  ...extra,
});

const stats = (partial: Partial<HostStats>): HostStats => ({ ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, ...partial });

export const TASKS = {
  motd: task('3', 'write motd', 'copy'),
  packages: task('8', 'install packages', 'command'),
  secret: task('12', 'set password', 'command', { noLog: true }),
  hello: task('15', 'say hello', 'debug'),
  restart: task('20', 'restart sshd', 'command', { isHandler: true }),
};

export const RECAP_STATS: Record<string, HostStats> = {
  web1: stats({ ok: 4, changed: 2 }),
  web2: stats({ ok: 2, changed: 1, failed: 1 }),
  'db1.example.internal': stats({ unreachable: 1 }),
};

/** A run as the engine reports it: ok, changed with a diff, ignored and real failures, loops, no_log, debug, a handler. */
export const SCRIPT: readonly EngineEvent[] = [
  { type: 'playbook_start', file: 'site.yml', check: false },
  { type: 'play_start', name: 'configure web', hosts: ['web1', 'web2', 'db1.example.internal'] },
  { type: 'task_start', task: TASKS.motd, hosts: ['web1', 'web2', 'db1.example.internal'] },
  { type: 'host_result', task: TASKS.motd, host: 'web1', status: 'ok', result: { changed: false, msg: 'motd is up to date' }, durationMs: 10 },
  {
    type: 'host_result',
    task: TASKS.motd,
    host: 'web2',
    status: 'changed',
    result: { changed: true, stdout: Buffer.from('written') },
    diff: [{ path: '/etc/motd', before: 'Welcome\nto web2\n', after: 'Welcome\nto web2, managed by rackplay\n' }],
    durationMs: 12,
  },
  { type: 'host_result', task: TASKS.motd, host: 'db1.example.internal', status: 'unreachable', result: { unreachable: true, msg: 'connect ECONNREFUSED 10.0.0.9:22' }, durationMs: 30 },
  { type: 'task_end', task: TASKS.motd, durationMs: 31 },
  { type: 'warning', message: 'host db1.example.internal is unreachable; it is left out of the rest of the play' },
  { type: 'task_start', task: TASKS.packages, hosts: ['web1', 'web2'] },
  { type: 'host_result', task: TASKS.packages, host: 'web1', status: 'changed', item: 'nginx', result: { changed: true, stdout: 'installed nginx\n', stderr: '' }, durationMs: 100 },
  { type: 'host_result', task: TASKS.packages, host: 'web1', status: 'skipped', item: 'vim', result: { skipped: true, changed: false }, durationMs: 100 },
  { type: 'host_result', task: TASKS.packages, host: 'web2', status: 'failed', ignored: true, item: 'nginx', result: { failed: true, changed: false, msg: 'E: Unable to locate package', rc: 100 }, durationMs: 90 },
  { type: 'host_result', task: TASKS.packages, host: 'web2', status: 'failed', item: 'vim', result: { failed: true, changed: false, stderr: 'dpkg: lock held\nby pid 42\n', rc: 1 }, durationMs: 90 },
  { type: 'task_end', task: TASKS.packages, durationMs: 120 },
  { type: 'task_start', task: TASKS.secret, hosts: ['web1'] },
  {
    type: 'host_result',
    task: TASKS.secret,
    host: 'web1',
    status: 'changed',
    item: 'hunter2',
    result: { censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result", changed: true },
    durationMs: 5,
  },
  { type: 'task_end', task: TASKS.secret, durationMs: 6 },
  { type: 'task_start', task: TASKS.hello, hosts: ['web1'] },
  { type: 'host_result', task: TASKS.hello, host: 'web1', status: 'ok', result: { msg: 'Hello from web1', changed: false }, durationMs: 1 },
  { type: 'task_end', task: TASKS.hello, durationMs: 2 },
  { type: 'task_start', task: TASKS.restart, hosts: ['web1'] },
  { type: 'host_result', task: TASKS.restart, host: 'web1', status: 'changed', result: { changed: true, stdout: '' }, durationMs: 300 },
  { type: 'task_end', task: TASKS.restart, durationMs: 301 },
  {
    type: 'recap',
    stats: RECAP_STATS,
    durationMs: 1500,
    commandMs: 900,
    commandCount: 12,
    exitCode: 2,
    timings: [
      { task: 'write motd', source: 'site.yml:3:5', durationMs: 31 },
      { task: 'install packages', source: 'site.yml:8:5', durationMs: 120 },
      { task: 'restart sshd', source: 'site.yml:20:5', durationMs: 301 },
    ],
  },
];

/** A PassThrough whose text is collected, like a CI log or a terminal. */
export function capture(isTTY = false): { readonly out: PassThrough & { isTTY?: boolean }; text(): string } {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  if (isTTY) {
    out.isTTY = true;
    out.columns = 100;
  }
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out, text: () => text };
}

export function play(bus: EventBus, events: readonly EngineEvent[] = SCRIPT): void {
  for (const event of events) bus.emit(event);
}

export { EventBus };
