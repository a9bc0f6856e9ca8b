import { quoteWord } from '../connection/quote.js';
import { deepEqual } from './comparison-helpers.js';
import { HelperError, defineHelper, type HelperFunction } from './define-helper.js';
import { describeType, formatValue } from './format.js';

/** Helpers whose first argument may name a variable that does not exist: that is their purpose. */
export const OPTIONAL_FIRST_ARGUMENT: ReadonlySet<string> = new Set(['default', 'defined']);

export const dataHelpers: readonly [string, HelperFunction][] = [
  defineHelper('default', { min: 2, max: 2 }, ([value, fallback]) => (value === undefined || value === null ? fallback : value)),
  defineHelper('defined', { min: 1, max: 1 }, ([value]) => value !== undefined),
  defineHelper('json', { min: 1, max: 2 }, ([value, indent]) => json(value, indent)),
  defineHelper('join', { min: 1, max: 2 }, ([list, separator]) => join(list, separator)),
  defineHelper('includes', { min: 2, max: 2 }, ([container, item]) => includes(container, item)),
  defineHelper('length', { min: 1, max: 1 }, ([value]) => length(value)),
  defineHelper('regex_match', { min: 2, max: 3 }, ([value, pattern, flags]) => regexMatch(value, pattern, flags)),
  defineHelper('quote', { min: 1, max: 1 }, ([value]) => quote(value)),
];

function json(value: unknown, indent: unknown): string {
  if (indent !== undefined && typeof indent !== 'number') throw new HelperError(`indent must be a number, got ${describeType(indent)}`);
  return JSON.stringify(value, null, indent) ?? 'null';
}

function join(list: unknown, separator: unknown = ','): string {
  if (!Array.isArray(list)) throw new HelperError(`expects a list, got ${describeType(list)}`);
  return list.map(formatValue).join(formatValue(separator));
}

function includes(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((entry) => deepEqual(entry, item));
  if (typeof container === 'string') return container.includes(formatValue(item));
  if (container !== null && typeof container === 'object') return Object.hasOwn(container, formatValue(item));
  throw new HelperError(`expects a list, string or object, got ${describeType(container)}`);
}

function length(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new HelperError(`expects a list, string or object, got ${describeType(value)}`);
}

/** Compiled patterns by flags and source: a condition is evaluated once per host and loop item. */
const patterns = new Map<string, RegExp>();
/** Patterns can come from variables; the cache must not grow with them without bound. */
const MAX_PATTERNS = 1000;

function regexMatch(value: unknown, pattern: unknown, flags: unknown = ''): boolean {
  if (typeof pattern !== 'string') throw new HelperError(`pattern must be a string, got ${describeType(pattern)}`);
  if (typeof flags !== 'string') throw new HelperError(`flags must be a string, got ${describeType(flags)}`);
  if (value === null || typeof value === 'object') throw new HelperError(`expects a string, got ${describeType(value)}`);
  // 'g' and 'y' make test() remember where it stopped, which a shared compiled pattern must not.
  const stateless = flags.replace(/[gy]/g, '');
  const key = `${stateless}/${pattern}`;
  let regex = patterns.get(key);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, stateless);
    } catch (error) {
      throw new HelperError((error as Error).message);
    }
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(key, regex);
  }
  return regex.test(String(value));
}

/** One word for a POSIX shell; a list becomes several words. Scalars only: an object has no shell form. */
function quote(value: unknown): string {
  if (Array.isArray(value)) return value.map(quoteScalar).join(' ');
  return quoteScalar(value);
}

function quoteScalar(value: unknown): string {
  if (typeof value === 'string') return quoteWord(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return quoteWord(String(value));
  throw new HelperError(`cannot quote ${describeType(value)}`);
}
