import type { ModuleContext } from '../../src/module/contract.js';
import { parseGuardOutput } from './parse.js';
import type { GuardState } from './parse.js';

/** The options that decide, before running anything, whether a command runs at all. */
export interface Guards {
  readonly creates?: string;
  readonly removes?: string;
  readonly chdir?: string;
}

/**
 * sh: GUARD CHDIR CREATES REMOVES. Relative globs resolve in CHDIR, as in Ansible. IFS is emptied so a
 * glob expands without being split on blanks.
 */
const GUARD_SCRIPT = String.raw`
if [ -n "$1" ]; then cd -- "$1" 2>/dev/null || { echo chdir=missing; exit 0; }; fi
IFS=
matches() { for f in $1; do if [ -e "$f" ] || [ -L "$f" ]; then return 0; fi; done; return 1; }
if [ -n "$2" ]; then if matches "$2"; then echo creates=1; else echo creates=0; fi; fi
if [ -n "$3" ]; then if matches "$3"; then echo removes=1; else echo removes=0; fi; fi
`;

/** One round trip when creates/removes are set; none otherwise. */
export async function gatherGuards(ctx: ModuleContext, guards: Guards): Promise<GuardState> {
  if (guards.creates === undefined && guards.removes === undefined) return {};
  const result = await ctx.run(['sh', '-c', GUARD_SCRIPT, 'sh', guards.chdir ?? '', guards.creates ?? '', guards.removes ?? '']);
  if (result.exitCode !== 0) throw new Error(`cannot check creates/removes: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
  return parseGuardOutput(result.stdout);
}
