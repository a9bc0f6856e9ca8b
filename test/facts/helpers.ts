import { chmod, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rackplay } from '../helpers/cli.js';

export interface JsonRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly events: Record<string, unknown>[];
  readonly recap: { commandCount: number; stats: Record<string, Record<string, number>> };
  /** The facts each host reported under "Gathering Facts" (the first play that gathered). */
  readonly facts: Record<string, Record<string, unknown>>;
  /** Host results of a task by name. */
  results(task: string): { host: string; status: string; result: Record<string, unknown> }[];
}

/** `rackplay run … --output json`, with the events parsed. */
export async function runJson(...args: string[]): Promise<JsonRun> {
  const run = await rackplay('run', ...args, '--output', 'json');
  const events = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const recap = events.find((event) => event.type === 'recap') as JsonRun['recap'] | undefined;
  if (recap === undefined) throw new Error(`no recap (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  const results = (task: string) =>
    events
      .filter((event) => event.type === 'host_result' && (event.task as { name: string }).name === task)
      .map((event) => ({ host: event.host as string, status: event.status as string, result: event.result as Record<string, unknown> }));
  const facts: Record<string, Record<string, unknown>> = {};
  for (const entry of results('Gathering Facts')) facts[entry.host] ??= entry.result.facts as Record<string, unknown>;
  return { ...run, events, recap, facts, results };
}

/**
 * A folder of links to every program in /usr/bin and /usr/sbin except `ip` (Debian merges /bin and /sbin
 * into them): a PATH on which the fact script runs as on a host without iproute2. World-readable so the
 * SSH lab's test user can use it too. busybox cannot stand in here: its sh runs its own ip applet whatever the PATH.
 */
export async function pathWithoutIp(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rackplay-noip-'));
  const seen = new Set<string>();
  for (const source of ['/usr/bin', '/usr/sbin']) {
    for (const name of await readdir(source)) {
      if (name === 'ip' || seen.has(name)) continue;
      seen.add(name);
      await symlink(join(source, name), join(dir, name));
    }
  }
  await chmod(dir, 0o755);
  return { path: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
