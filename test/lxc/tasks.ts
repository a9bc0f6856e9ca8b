import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rackplay } from '../helpers/cli.js';

export interface HostResult {
  readonly task: string;
  readonly status: string;
  readonly result: Record<string, unknown>;
  readonly diff?: readonly { path?: string; before: string; after: string }[];
}

export interface TaskRun {
  readonly code: number;
  readonly results: HostResult[];
  readonly stats: Record<string, number>;
  readonly output: string;
}

let counter = 0;

/**
 * Runs tasks as a playbook on localhost (local connection, or the given inventory) through the real CLI with
 * --output json, and returns each task's result and the recap. The playbook is JSON, which is YAML. No fact
 * gathering: results[i] is the i-th task's.
 */
export async function runTasks(dir: string, tasks: readonly Record<string, unknown>[], options: { args?: readonly string[]; inventory?: string; host?: string } = {}): Promise<TaskRun> {
  const playbook = join(dir, `play-${++counter}.yml`);
  await writeFile(playbook, JSON.stringify([{ name: 'lxc', hosts: options.host ?? 'localhost', gather_facts: false, tasks }], null, 2));
  const run = await rackplay('run', playbook, ...(options.inventory === undefined ? [] : ['-i', options.inventory]), '--output', 'json', ...(options.args ?? []));
  const events = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const results = events
    .filter((event) => event.type === 'host_result')
    .map((event) => ({ task: (event.task as { name: string }).name, status: event.status as string, result: event.result as Record<string, unknown>, diff: event.diff as HostResult['diff'] }));
  const recap = events.find((event) => event.type === 'recap') as { stats: Record<string, Record<string, number>> } | undefined;
  const stats = recap?.stats[options.host ?? 'localhost'] ?? {};
  return { code: run.code, results, stats, output: run.stdout + run.stderr };
}

/** One lxc_container task. */
export function lxcTask(params: Record<string, unknown>, name = `lxc_container ${String(params.name)} ${String(params.state ?? 'started')}`): Record<string, unknown> {
  return { name, lxc_container: params };
}
