/** Strings that mean "no" the way Ansible reads them, e.g. `-e enabled=false` arrives as the string 'false'. */
const FALSE_WORDS = new Set(['', 'false', 'no', 'off', '0']);

/** Ansible's truthiness, shared by conditions, `and`/`or`/`not` and `#if`/`#unless` so they never disagree. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return !FALSE_WORDS.has(value.trim().toLowerCase());
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
