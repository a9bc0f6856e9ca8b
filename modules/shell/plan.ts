import type { Plan } from '../../src/module/contract.js';
import type { Guards } from '../command/guard.js';
import type { GuardState } from '../command/parse.js';
import { planRun } from '../command/plan.js';

export interface ShellParams extends Guards {
  readonly cmd: string;
  readonly executable?: string;
  readonly stdin?: string;
  readonly stdin_add_newline?: boolean;
  readonly strip_empty_ends?: boolean;
}

/** The script is one argument to `sh -c`: the connection quotes it, nothing is concatenated. */
export function planShell(params: ShellParams, state: GuardState): Plan {
  const argv = [params.executable ?? '/bin/sh', '-c', params.cmd];
  return planRun({ ...params, argv, shown: params.cmd, stdinAddNewline: params.stdin_add_newline }, state);
}
