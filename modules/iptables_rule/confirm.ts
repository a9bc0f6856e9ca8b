/**
 * confirm_timeout: not locking yourself out. Before the change, the target saves its ruleset (every table of
 * the IP version) and arms a rollback, a detached `sleep N; iptables-restore < saved` in its own session; after
 * the change, the controller opens a NEW connection (ctx.probeReachable); only when that works is the rollback
 * cancelled. When the controller cannot come back, the host restores itself after N seconds.
 *
 * Every script below is fixed text; values reach it as positional arguments, never by concatenation.
 */
import { UnreachableError } from '../../src/connection/types.js';
import { applyPlan } from '../../src/module/apply.js';
import type { ModuleContext, ModuleResult, Plan } from '../../src/module/contract.js';
import type { IptablesRuleParams } from './args.js';
import { builtinChains } from './plan.js';

/**
 * $1 save tool, $2 restore tool, $3 seconds, $4 table, $5 an empty stanza of that table (appended to the saved
 * set when the table is not in it, so that the restore also undoes a table the change brings into being),
 * $6 the inventory host's name made safe for a file name (so that an admin can tell whose rollback it is).
 * Prints the rollback's folder; its PID (leader of its own session and process group) is in `pid`.
 */
export const ARM_SCRIPT = `umask 077
dir=$(mktemp -d "/run/rackplay-iptables.$6.XXXXXX" 2>/dev/null) || dir=$(mktemp -d "/tmp/rackplay-iptables.$6.XXXXXX") || exit 1
if ! "$1" > "$dir/rules"; then rm -rf "$dir"; exit 1; fi
grep -qxF -- "*$4" "$dir/rules" || printf '%s' "$5" >> "$dir/rules"
setsid nohup sh -c 'echo $$ > "$4/pid.tmp" && mv "$4/pid.tmp" "$4/pid"; sleep "$1" || exit 0; : > "$4/fired"; "$2" < "$3"; rm -rf "$4"' rackplay-iptables-rollback "$3" "$2" "$dir/rules" "$dir" < /dev/null > /dev/null 2>&1 &
i=0
while [ ! -s "$dir/pid" ]; do
  i=$((i + 1))
  if [ "$i" -gt 100 ]; then kill -TERM "$!" 2>/dev/null; rm -rf "$dir"; echo 'the rollback process did not start' >&2; exit 1; fi
  sleep 0.05 2>/dev/null || sleep 1
done
printf '%s\\n' "$dir"
`;

/** $1 the rollback's folder. Exit 0: cancelled and removed; exit 3: it had already fired (or is gone). */
export const CANCEL_SCRIPT = `[ -f "$1/pid" ] && [ ! -e "$1/fired" ] || exit 3
pid=$(cat "$1/pid")
kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || exit 3
[ ! -e "$1/fired" ] || exit 3
rm -rf "$1"
`;

/** $1 the rollback's folder, $2 restore tool: cancels the timer and restores the saved set now. */
export const RESTORE_NOW_SCRIPT = `pid=$(cat "$1/pid" 2>/dev/null) && { kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; }
[ -f "$1/rules" ] || exit 3
"$2" < "$1/rules" || exit 1
rm -rf "$1"
`;

function restoreTools(params: IptablesRuleParams): { readonly save: string; readonly restore: string } {
  return params.ip_version === 'ipv6' ? { save: 'ip6tables-save', restore: 'ip6tables-restore' } : { save: 'iptables-save', restore: 'iptables-restore' };
}

/** `*TABLE`, its built-in chains with policy ACCEPT, COMMIT: what an untouched table restores as. */
export function emptyTableStanza(table: string): string {
  return [`*${table}`, ...(builtinChains[table] ?? []).map((chain) => `:${chain} ACCEPT [0:0]`), 'COMMIT'].map((line) => `${line}\n`).join('');
}

/** The host's name as a piece of a file name: [A-Za-z0-9_.-] only, at most 40 characters. */
export function fileTag(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_').slice(0, 40) || 'host';
}

/** How long the probe may take: well inside what is left of the timeout, so the cancel still comes first. */
export function probeBudgetMs(confirmSeconds: number, elapsedMs: number): number {
  const left = confirmSeconds * 1000 - elapsedMs;
  return Math.max(500, Math.min(10_000, Math.floor(left * 0.6)));
}

async function script(ctx: ModuleContext, text: string, args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return ctx.run(['sh', '-c', text, 'sh', ...args]);
}

/** Applies the plan under a rollback armed on the target (see the file comment). Never called in check mode. */
export async function applyConfirmed(ctx: ModuleContext, plan: Plan, params: IptablesRuleParams, seconds: number): Promise<ModuleResult> {
  if (plan.changes.length === 0) return applyPlan(ctx, plan);
  const probe = ctx.probeReachable;
  if (probe === undefined) throw new Error('confirm_timeout: this engine cannot open a second connection to prove the host is reachable');
  const table = params.table ?? 'filter';
  const tools = restoreTools(params);
  const armedAt = performance.now();
  const armed = await script(ctx, ARM_SCRIPT, [tools.save, tools.restore, String(seconds), table, emptyTableStanza(table), fileTag(ctx.host.name)]);
  const dir = armed.stdout.trim();
  if (armed.exitCode !== 0 || dir === '') throw new Error(`confirm_timeout: could not arm the rollback (exit ${armed.exitCode}): ${armed.stderr.trim()}`);

  try {
    await applyPlan(ctx, plan);
  } catch (error) {
    // A failed change leaves nothing behind: the saved set goes back at once.
    const restored = await script(ctx, RESTORE_NOW_SCRIPT, [dir, tools.restore]);
    const note = restored.exitCode === 0 ? 'the saved ruleset was restored' : `restoring the saved ruleset failed (exit ${restored.exitCode}): ${restored.stderr.trim()}`;
    if (error instanceof Error) error.message = `${error.message} (${note})`;
    throw error;
  }

  try {
    await probe(probeBudgetMs(seconds, performance.now() - armedAt));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnreachableError(
      `iptables_rule: after the change, a new connection to the host failed (${reason}); the rollback stays armed and restores the previous ruleset ${seconds} s after it was armed (${dir})`,
      { cause: error },
    );
  }

  const cancelled = await script(ctx, CANCEL_SCRIPT, [dir]);
  if (cancelled.exitCode === 0) return { ...plan.result, changed: true, confirmed: true };
  if (cancelled.exitCode === 3) {
    return {
      ...plan.result,
      changed: false,
      failed: true,
      confirmed: false,
      msg: `confirm_timeout (${seconds} s) expired before the host was confirmed reachable: the rollback restored the previous ruleset`,
    };
  }
  return {
    ...plan.result,
    changed: true,
    failed: true,
    confirmed: false,
    msg: `the host is reachable but cancelling the rollback in ${dir} failed (exit ${cancelled.exitCode}): ${cancelled.stderr.trim()}`,
  };
}
