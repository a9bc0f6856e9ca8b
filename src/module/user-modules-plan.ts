/**
 * A user module's plan is checked before the engine uses it: built-in plans are typed at compile time, a user's
 * JavaScript plan is not, and a malformed one must fail its task with a clear message, not misbehave in apply.
 */

const CHANGE_KINDS = ['command', 'script', 'put'] as const;

/** What is wrong with a plan's shape, one line per problem, e.g. `changes[1].argv must be a non-empty array of strings`. */
export function planShapeProblems(plan: unknown): string[] {
  if (!isObject(plan)) return [`the plan must be an object with a changes array, got ${describe(plan)}`];
  const problems: string[] = [];
  if (!Array.isArray(plan.changes)) problems.push(`changes must be an array, got ${describe(plan.changes)}`);
  else plan.changes.forEach((change, index) => problems.push(...changeProblems(change, `changes[${index}]`)));
  if (plan.diff !== undefined) {
    const diffs = Array.isArray(plan.diff) ? plan.diff : [plan.diff];
    diffs.forEach((diff, index) => problems.push(...diffProblems(diff, Array.isArray(plan.diff) ? `diff[${index}]` : 'diff')));
  }
  for (const key of ['result', 'facts'] as const) {
    if (plan[key] !== undefined && !isObject(plan[key])) problems.push(`${key} must be an object, got ${describe(plan[key])}`);
  }
  for (const key of ['failed', 'noopReason'] as const) {
    if (plan[key] !== undefined && typeof plan[key] !== 'string') problems.push(`${key} must be a string, got ${describe(plan[key])}`);
  }
  if (plan.changed !== undefined && typeof plan.changed !== 'boolean') problems.push(`changed must be a boolean, got ${describe(plan.changed)}`);
  return problems;
}

function changeProblems(change: unknown, at: string): string[] {
  if (!isObject(change)) return [`${at} must be an object, got ${describe(change)}`];
  const problems: string[] = [];
  if (typeof change.description !== 'string' || change.description === '') problems.push(`${at}.description must be a non-empty string`);
  switch (change.kind) {
    case 'command':
      if (!isStringArray(change.argv) || change.argv.length === 0) problems.push(`${at}.argv must be a non-empty array of strings`);
      if (change.stdin !== undefined && typeof change.stdin !== 'string') problems.push(`${at}.stdin must be a string`);
      if (change.cwd !== undefined && typeof change.cwd !== 'string') problems.push(`${at}.cwd must be a string`);
      break;
    case 'script':
      if (typeof change.script !== 'string' || change.script === '') problems.push(`${at}.script must be a non-empty string`);
      if (change.args !== undefined && !isStringArray(change.args)) problems.push(`${at}.args must be an array of strings`);
      if (change.stdin !== undefined && typeof change.stdin !== 'string') problems.push(`${at}.stdin must be a string`);
      break;
    case 'put':
      if (typeof change.path !== 'string' || change.path === '') problems.push(`${at}.path must be a non-empty string`);
      if (typeof change.content !== 'string' && !(change.content instanceof Uint8Array)) problems.push(`${at}.content must be a string or a Buffer`);
      for (const key of ['mode', 'owner', 'group'] as const) {
        if (change[key] !== undefined && typeof change[key] !== 'string') problems.push(`${at}.${key} must be a string`);
      }
      if (change.expectedSha256 !== undefined && change.expectedSha256 !== null && !/^[0-9a-f]{64}$/.test(String(change.expectedSha256))) {
        problems.push(`${at}.expectedSha256 must be a sha256 in hex, or null`);
      }
      break;
    default:
      problems.push(`${at}.kind ${describe(change.kind)} is not a known change kind (${CHANGE_KINDS.join(', ')})`);
  }
  return problems;
}

function diffProblems(diff: unknown, at: string): string[] {
  if (!isObject(diff)) return [`${at} must be an object with before and after, got ${describe(diff)}`];
  const problems: string[] = [];
  for (const key of ['before', 'after'] as const) if (typeof diff[key] !== 'string') problems.push(`${at}.${key} must be a string`);
  if (diff.path !== undefined && typeof diff.path !== 'string') problems.push(`${at}.path must be a string`);
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `'${value}'` : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
