import { execFile, execFileSync } from 'node:child_process';

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/**
 * Runs a command on the controller (root) and resolves with its output whatever the exit code: the lab
 * decides what a failure means (a teardown `ip link del` of something already gone is not one).
 */
export function run(file: string, args: readonly string[]): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 127;
      resolve({ stdout, stderr: stderr || (error !== null && code === 127 ? error.message : ''), code });
    });
  });
}

/** `ip ARGS`, throwing with ip's own message: setup steps must not fail silently. */
export async function ip(...args: string[]): Promise<string> {
  const result = await run('ip', args);
  if (result.code !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.code}`}`);
  return result.stdout;
}

/** Synchronous, error-swallowing `ip`: for teardown from a process 'exit' handler, where nothing async runs. */
export function ipQuietSync(...args: string[]): void {
  try {
    execFileSync('ip', args, { stdio: 'ignore' });
  } catch {
    // already gone, or never created
  }
}

/** Runs argv inside a network namespace (network only: not the host's UTS namespace, so not its hostname). */
export function inNetns(namespace: string, argv: readonly string[]): Promise<ExecResult> {
  return run('ip', ['netns', 'exec', namespace, ...argv]);
}
