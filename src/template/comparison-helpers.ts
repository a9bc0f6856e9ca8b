import { HelperError, defineHelper, type HelperFunction } from './define-helper.js';
import { describeType } from './format.js';

const TWO = { min: 2, max: 2 };

export const comparisonHelpers: readonly [string, HelperFunction][] = [
  defineHelper('eq', TWO, ([a, b]) => deepEqual(a, b)),
  defineHelper('ne', TWO, ([a, b]) => !deepEqual(a, b)),
  defineHelper('lt', TWO, ([a, b]) => compare(a, b) < 0),
  defineHelper('gt', TWO, ([a, b]) => compare(a, b) > 0),
  defineHelper('lte', TWO, ([a, b]) => compare(a, b) <= 0),
  defineHelper('gte', TWO, ([a, b]) => compare(a, b) >= 0),
];

/** Equality of data: registered results and facts are fresh objects, so identity would never match. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * Numbers with numbers, strings with strings. A number against a numeric string compares as numbers,
 * because extra vars (`-e min_mem=2048`) always arrive as strings. Anything else is a mistake worth an error.
 */
export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  throw new HelperError(`cannot compare ${describeType(a)} with ${describeType(b)}`);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
