import { commonLines } from './myers.js';

export interface UnifiedDiffOptions {
  readonly fromFile?: string;
  readonly toFile?: string;
  /** Lines of context around each change; GNU diff's default is 3. */
  readonly context?: number;
}

const NO_NEWLINE = '\\ No newline at end of file';

/**
 * A unified diff as `diff -u` prints it, minus the timestamps in the headers.
 * Returns '' when the texts are equal. Lines keep their terminator while compared, so a last line
 * without a newline differs from the same text with one, as it does for GNU diff.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = Math.max(0, options.context ?? 3);
  const a = splitLines(before);
  const b = splitLines(after);
  const ids = new Map<string, number>();
  const intern = (lines: readonly string[]) => Int32Array.from(lines, (line) => ids.get(line) ?? (ids.set(line, ids.size), ids.size - 1));
  const matches = commonLines(intern(a), intern(b));
  const out = [`--- ${options.fromFile ?? 'before'}`, `+++ ${options.toFile ?? 'after'}`];
  for (const hunk of hunks(changes(matches, a.length, b.length), a.length, context)) {
    out.push(hunkHeader(hunk));
    let i = hunk.aStart;
    let j = hunk.bStart;
    for (const change of hunk.changes) {
      for (; i < change.aStart; i++, j++) out.push(...line(' ', a[i]!));
      for (; i < change.aEnd; i++) out.push(...line('-', a[i]!));
      for (; j < change.bEnd; j++) out.push(...line('+', b[j]!));
    }
    for (; i < hunk.aEnd; i++, j++) out.push(...line(' ', a[i]!));
  }
  return `${out.join('\n')}\n`;
}

/** Lines with their '\n' kept; the last one lacks it when the text does not end with a newline. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function line(prefix: string, text: string): string[] {
  return text.endsWith('\n') ? [prefix + text.slice(0, -1)] : [prefix + text, NO_NEWLINE];
}

/** A run of deleted lines [aStart, aEnd) replaced by inserted lines [bStart, bEnd). */
interface Change {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

interface Hunk extends Change {
  readonly changes: readonly Change[];
}

function changes(matches: ReadonlyArray<readonly [number, number]>, aLength: number, bLength: number): Change[] {
  const result: Change[] = [];
  let i = 0;
  let j = 0;
  for (const [mi, mj] of [...matches, [aLength, bLength] as const]) {
    if (mi > i || mj > j) result.push({ aStart: i, aEnd: mi, bStart: j, bEnd: mj });
    i = mi + 1;
    j = mj + 1;
  }
  return result;
}

/** Groups changes whose gap is at most 2×context into hunks, each padded with context lines. */
function hunks(list: readonly Change[], aLength: number, context: number): Hunk[] {
  const result: Hunk[] = [];
  let group: Change[] = [];
  const close = () => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const lead = Math.min(context, first.aStart);
    const trail = Math.min(context, aLength - last.aEnd);
    result.push({ aStart: first.aStart - lead, bStart: first.bStart - lead, aEnd: last.aEnd + trail, bEnd: last.bEnd + trail, changes: group });
    group = [];
  };
  for (const change of list) {
    const previous = group[group.length - 1];
    if (previous !== undefined && change.aStart - previous.aEnd > 2 * context) close();
    group.push(change);
  }
  if (group.length > 0) close();
  return result;
}

/** GNU's range format: a count of 1 is omitted; an empty range names the line before it. */
function hunkHeader(hunk: Hunk): string {
  const range = (start: number, end: number) => {
    const count = end - start;
    if (count === 1) return `${start + 1}`;
    return `${count === 0 ? start : start + 1},${count}`;
  };
  return `@@ -${range(hunk.aStart, hunk.aEnd)} +${range(hunk.bStart, hunk.bEnd)} @@`;
}
