import type { Change, ModuleContext, ModuleResult, Plan } from './contract.js';

export class ChangeFailedError extends Error {
  readonly code = 'E_CHANGE_FAILED';
  constructor(
    readonly change: Change,
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`${change.description} failed (exit ${exitCode}): ${stderr.trim()}`);
    this.name = 'ChangeFailedError';
  }
}

/** Runs one change through the context's connection; throws on a non-zero exit. */
export async function applyChange(ctx: ModuleContext, change: Change): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  switch (change.kind) {
    case 'put':
      await ctx.connection.put(change.content, change.path, {
        mode: change.mode,
        owner: change.owner,
        group: change.group,
        expectedSha256: change.expectedSha256,
        become: ctx.become,
      });
      return { stdout: '', stderr: '', exitCode: 0 };
    case 'command': {
      const result = await ctx.run(change.argv, { stdin: change.stdin, cwd: change.cwd });
      if (result.exitCode !== 0) throw new ChangeFailedError(change, result.exitCode, result.stderr);
      return result;
    }
    case 'script': {
      const result = await ctx.run(['sh', '-c', change.script, 'sh', ...(change.args ?? [])], { stdin: change.stdin });
      if (result.exitCode !== 0) throw new ChangeFailedError(change, result.exitCode, result.stderr);
      return result;
    }
  }
}

/** The default apply: every change in order, changed when there was at least one. */
export async function applyPlan(ctx: ModuleContext, plan: Plan): Promise<ModuleResult> {
  for (const change of plan.changes) await applyChange(ctx, change);
  return { ...plan.result, changed: plan.changed ?? plan.changes.length > 0 };
}
