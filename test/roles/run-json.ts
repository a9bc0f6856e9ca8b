import { rackplay } from '../helpers/cli.js';

export interface HostResultEvent {
  readonly type: 'host_result';
  readonly task: { readonly name: string; readonly module: string; readonly isHandler: boolean };
  readonly host: string;
  readonly status: string;
  readonly result: Record<string, unknown>;
}

export interface JsonRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly results: readonly HostResultEvent[];
  /** Every debug message, in the order the engine printed them: `host: msg`. */
  readonly messages: readonly string[];
}

/** Runs the CLI with JSON Lines output and picks out the per-host results. */
export async function runJson(...args: string[]): Promise<JsonRun> {
  const run = await rackplay(...args, '--output', 'json');
  const events = run.code === 4 || run.code === 5 ? [] : run.stdout.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { type: string });
  const results = events.filter((event): event is HostResultEvent => event.type === 'host_result');
  const messages = results.filter((event) => event.task.module === 'debug' && event.status === 'ok').map((event) => `${event.host}: ${String(event.result.msg)}`);
  return { ...run, results, messages };
}
