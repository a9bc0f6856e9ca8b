import { defineModule } from '../../src/module/contract.js';
import { commandMeta } from '../../src/module/meta.js';
import type { ShellParamsFromSchema } from './params.generated.js';
import { gatherGuards } from '../command/guard.js';
import { extractInlineOptions } from '../command/parse.js';
import type { GuardState } from '../command/parse.js';
import { applyRun } from '../command/run.js';
import { planShell } from './plan.js';

export default defineModule<ShellParamsFromSchema, GuardState>({
  name: 'shell',
  meta: commandMeta({
    cmd: 'the script that ran',
    rc: 'exit status',
    stdout: 'standard output, trailing newlines removed',
    stderr: 'standard error, trailing newlines removed',
    stdout_lines: 'stdout split into lines',
    stderr_lines: 'stderr split into lines',
    start: 'when the script started',
    end: 'when the script ended',
    delta: 'how long it ran',
  }),
  // Ansible also reads `chdir=`/`creates=`… out of a free-form script; the rest is kept verbatim.
  freeForm: (text) => {
    const { rest, options } = extractInlineOptions(text, ['creates', 'removes', 'chdir', 'stdin', 'executable']);
    return { ...options, cmd: rest };
  },
  gather: (ctx, params) => gatherGuards(ctx, params),
  plan: planShell,
  apply: (ctx, plan, params) => applyRun(ctx, plan, { stripEmptyEnds: params.strip_empty_ends }),
});
