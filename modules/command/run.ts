import type { ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';

/**
 * Runs the planned command and reports it as Ansible does. A non-zero exit is a failed result, not a
 * thrown error, so that failed_when can still decide.
 */
export async function applyRun(ctx: ModuleContext, plan: Plan, options: { stripEmptyEnds?: boolean } = {}): Promise<ModuleResult> {
  const change = plan.changes[0];
  if (change === undefined || change.kind !== 'command') return { ...plan.result, changed: false };
  const start = new Date();
  const ran = await ctx.run(change.argv, { stdin: change.stdin, cwd: change.cwd });
  const end = new Date();
  const strip = options.stripEmptyEnds === false ? (text: string) => text : (text: string) => text.replace(/[\r\n]+$/, '');
  const stdout = strip(ran.stdout);
  const stderr = strip(ran.stderr);
  return {
    ...plan.result,
    changed: true,
    ...(ran.exitCode === 0 ? {} : { failed: true, msg: 'non-zero return code' }),
    rc: ran.exitCode,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    start: timestamp(start),
    end: timestamp(end),
    delta: delta(end.getTime() - start.getTime()),
  };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

/** Ansible's `2024-05-01 12:00:00.123000`, in local time. */
function timestamp(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`;
}

/** Ansible's `0:00:00.003000`. */
function delta(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(6).padStart(9, '0');
  return `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`;
}
