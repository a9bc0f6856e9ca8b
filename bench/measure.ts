/** Times one whole process with bench/time-process.py: wall time and peak RSS from exec to exit, for every tool alike. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const timer = new URL('./time-process.py', import.meta.url).pathname.replace('/dist/bench/', '/bench/');

export interface Measured {
  readonly wallMs: number;
  readonly code: number;
  /** The largest single process's peak RSS (exact, from wait4). */
  readonly maxRssKb: number;
  /** The process tree's summed RSS at its sampled peak (workers included). */
  readonly treeRssKb: number;
  readonly stdout: string;
  /** Its last 1 MiB of stderr. */
  readonly stderr: string;
}

export async function timeProcess(argv: readonly string[], env: Record<string, string> = {}, cwd?: string): Promise<Measured> {
  const folder = mkdtempSync(join(tmpdir(), 'rackplay-bench-out-'));
  try {
    const out = join(folder, 'stdout');
    const child = spawn('python3', [timer, out, ...argv], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => (report += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1024 * 1024)));
    await new Promise((resolve) => child.on('close', resolve));
    if (report === '') throw new Error(`time-process.py gave no report for ${argv.join(' ')}:\n${stderr}`);
    const measured = JSON.parse(report) as Omit<Measured, 'stdout' | 'stderr'>;
    const stdout = readFileSync(out, 'utf8');
    if (measured.code !== 0) process.stderr.write(`${argv[0]} exited ${measured.code}:\n${stdout.slice(-1500)}${stderr.slice(-1500)}\n`);
    return { ...measured, stdout, stderr };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The changed count of a run: rackplay's JSON recap, Ansible's PLAY RECAP. pyinfra 3.0b0's results table lists
 * per operation the hosts where it succeeded or failed, a no-change operation counting as a success, so it
 * gives no changed count: undefined, printed as n/a.
 */
export function changedCount(tool: string, run: { stdout: string }): number | undefined {
  if (tool === 'rackplay') {
    const recap = run.stdout.split('\n').reverse().find((line) => line.includes('"type":"recap"'));
    if (recap === undefined) return undefined;
    return Object.values((JSON.parse(recap) as { stats: Record<string, { changed: number }> }).stats).reduce((sum, stats) => sum + stats.changed, 0);
  }
  if (!tool.startsWith('ansible')) return undefined;
  const counts = [...run.stdout.matchAll(/changed=(\d+)/g)].map((match) => Number(match[1]));
  return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
}

/** rackplay's own recap figures: time inside host commands, and the Gathering Facts steps. */
export function rackplayRecap(stdout: string): { commandMs: number; gatherMs: number } {
  const line = stdout.split('\n').reverse().find((entry) => entry.includes('"type":"recap"'));
  const recap = JSON.parse(line ?? '{}') as { commandMs?: number; timings?: { task: string; durationMs: number }[] };
  return { commandMs: recap.commandMs ?? 0, gatherMs: (recap.timings ?? []).filter((entry) => entry.task === 'Gathering Facts').reduce((sum, entry) => sum + entry.durationMs, 0) };
}
