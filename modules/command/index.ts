import { defineModule } from '../../src/module/contract.js';
import { commandMeta } from '../../src/module/meta.js';
import type { CommandParamsFromSchema } from './params.generated.js';
import { gatherGuards } from './guard.js';
import { extractInlineOptions } from './parse.js';
import type { GuardState } from './parse.js';
import { planCommand } from './plan.js';
import { applyRun } from './run.js';

export default defineModule<CommandParamsFromSchema, GuardState>({
  name: 'command',
  meta: commandMeta({
    cmd: 'the argv that ran',
    rc: 'exit status',
    stdout: 'standard output, trailing newlines removed',
    stderr: 'standard error, trailing newlines removed',
    stdout_lines: 'stdout split into lines',
    stderr_lines: 'stderr split into lines',
    start: 'when the command started',
    end: 'when the command ended',
    delta: 'how long it ran',
  }),
  // `command: make chdir=/src creates=out` → cmd "make", with chdir and creates as options.
  freeForm: (text) => {
    const { rest, options } = extractInlineOptions(text, ['creates', 'removes', 'chdir', 'stdin']);
    return { ...options, cmd: rest };
  },
  gather: (ctx, params) => gatherGuards(ctx, params),
  plan: planCommand,
  apply: (ctx, plan, params) => applyRun(ctx, plan, { stripEmptyEnds: params.strip_empty_ends }),
});
