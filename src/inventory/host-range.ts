/** A host range that cannot be expanded; the message says why. */
export class HostRangeError extends Error {}

// Ansible's alphabetic ranges run through string.ascii_letters, so [x:B] is legal.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Expands Ansible host ranges: `web[01:10]` (zero-padding kept), `db-[a:f]`, `[1:10:2]` strides,
 * several ranges in one name. Unlike Ansible, a reversed range is an error rather than silently empty.
 */
export function expandHostRange(pattern: string): string[] {
  const names: string[] = [];
  expandInto(pattern, pattern, names);
  return names;
}

/**
 * At most this many hosts from one range pattern: `h[0:99999999]` would otherwise take gigabytes before
 * anything could say it is a typo. Ansible has no cap; no real inventory comes near it.
 */
export const MAX_RANGE_HOSTS = 100_000;

function expandInto(original: string, pattern: string, names: string[]): void {
  const open = pattern.indexOf('[');
  if (open === -1) {
    if (names.length >= MAX_RANGE_HOSTS) throw tooMany(original);
    names.push(pattern);
    return;
  }
  const close = pattern.indexOf(']', open);
  if (close === -1) throw new HostRangeError(`host range '${original}' has no closing ']'`);
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const parts = rangeValues(original, pattern.slice(open + 1, close));
  for (const part of parts) expandInto(original, `${head}${part}${tail}`, names);
}

function tooMany(pattern: string): HostRangeError {
  return new HostRangeError(`host range '${pattern}' expands to more than ${MAX_RANGE_HOSTS} hosts`);
}

function checkCount(pattern: string, first: number, last: number, step: number): void {
  if (Math.floor((last - first) / step) + 1 > MAX_RANGE_HOSTS) throw tooMany(pattern);
}

function rangeValues(pattern: string, body: string): string[] {
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new HostRangeError(`host range '${pattern}' must be [begin:end] or [begin:end:step]`);
  const begin = bounds[0] === '' ? '0' : bounds[0]!;
  const end = bounds[1]!;
  if (end === '') throw new HostRangeError(`host range '${pattern}' must specify an end value`);
  const step = parseStep(pattern, bounds[2]);
  if (/^[a-zA-Z]$/.test(begin) && /^[a-zA-Z]$/.test(end)) return letterRange(pattern, begin, end, step);
  if (/^\d+$/.test(begin) && /^\d+$/.test(end)) return numberRange(pattern, begin, end, step);
  throw new HostRangeError(`host range '${pattern}' must be numeric ([1:9]) or single letters ([a:f])`);
}

function parseStep(pattern: string, text: string | undefined): number {
  if (text === undefined) return 1;
  const step = /^\d+$/.test(text) ? Number(text) : 0;
  if (step < 1) throw new HostRangeError(`host range '${pattern}' must have a positive integer step`);
  return step;
}

function letterRange(pattern: string, begin: string, end: string, step: number): string[] {
  const first = LETTERS.indexOf(begin);
  const last = LETTERS.indexOf(end);
  if (first > last) throw new HostRangeError(`host range '${pattern}' begins after it ends`);
  const letters: string[] = [];
  for (let index = first; index <= last; index += step) letters.push(LETTERS[index]!);
  return letters;
}

function numberRange(pattern: string, begin: string, end: string, step: number): string[] {
  // A leading zero asks for fixed-width names (web01..web10); the width comes from begin.
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width > 0 && end.length !== width) throw new HostRangeError(`host range '${pattern}' is zero-padded, so begin and end need the same width`);
  const first = Number(begin);
  const last = Number(end);
  if (first > last) throw new HostRangeError(`host range '${pattern}' begins after it ends`);
  checkCount(pattern, first, last, step);
  const numbers: string[] = [];
  for (let value = first; value <= last; value += step) numbers.push(String(value).padStart(width, '0'));
  return numbers;
}
