import type { Plan } from '../../src/module/contract.js';
import type { Guards } from './guard.js';
import { CommandLineError, splitWords } from './parse.js';
import type { GuardState } from './parse.js';

export interface CommandParams extends Guards {
  readonly cmd?: string;
  readonly argv?: readonly string[];
  readonly stdin?: string;
  readonly stdin_add_newline?: boolean;
  readonly strip_empty_ends?: boolean;
}

/** What command and shell both run: an argv, how to feed it, and what to report as `cmd`. */
export interface RunSpec extends Guards {
  readonly argv: readonly string[];
  readonly shown: string | readonly string[];
  readonly stdin?: string;
  readonly stdinAddNewline?: boolean;
}

export function planCommand(params: CommandParams, state: GuardState): Plan {
  let argv: readonly string[];
  try {
    argv = params.argv ?? splitWords(params.cmd ?? '').map((word) => word.value);
  } catch (error) {
    if (error instanceof CommandLineError) return { changes: [], failed: error.message };
    throw error;
  }
  if (argv.length === 0) return { changes: [], failed: 'no command given' };
  return planRun({ ...params, argv, shown: argv, stdinAddNewline: params.stdin_add_newline }, state);
}

/** Skips, with Ansible's wording, when creates/removes say the work is done; otherwise runs once. */
export function planRun(spec: RunSpec, state: GuardState): Plan {
  const cmd = spec.shown;
  if (state.chdirMissing) return { changes: [], failed: `Unable to change directory before execution: ${spec.chdir ?? ''}`, result: { cmd } };
  if (state.createsExists === true) return skipped(cmd, `${spec.creates} exists`, `Did not run command since '${spec.creates}' exists`);
  if (state.removesExists === false) return skipped(cmd, `${spec.removes} does not exist`, `Did not run command since '${spec.removes}' does not exist`);
  const stdin = spec.stdin === undefined ? undefined : spec.stdinAddNewline === false ? spec.stdin : `${spec.stdin}\n`;
  const description = typeof cmd === 'string' ? cmd : cmd.join(' ');
  return {
    changes: [{ kind: 'command', argv: spec.argv, description, ...(stdin === undefined ? {} : { stdin }), ...(spec.chdir === undefined ? {} : { cwd: spec.chdir }) }],
    result: { cmd },
  };
}

function skipped(cmd: string | readonly string[], why: string, msg: string): Plan {
  const stdout = `skipped, since ${why}`;
  return { changes: [], result: { cmd, rc: 0, stdout, stdout_lines: [stdout], stderr: '', stderr_lines: [] }, noopReason: msg };
}
