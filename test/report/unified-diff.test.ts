import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/report/index.js';
import { body, gnuDiff, gnuPatch } from './gnu-diff.js';

const lines = (count: number, prefix = 'line') => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');

/** Inputs whose shortest edit is unambiguous, so GNU diff and ours must agree byte for byte. */
const CASES: Record<string, readonly [string, string]> = {
  'one line changed in the middle': [lines(10), lines(10).replace('line 5\n', 'line five\n')],
  'insert at the start': [lines(6), `new\n${lines(6)}`],
  'delete at the end': [lines(8), lines(7)],
  'new file': ['', lines(3)],
  'emptied file': [lines(3), ''],
  'two hunks far apart': [lines(30), lines(30).replace('line 3\n', 'three\n').replace('line 25\n', 'twenty-five\n')],
  'changes 6 apart share a hunk': [lines(20), lines(20).replace('line 4\n', 'x\n').replace('line 11\n', 'y\n')],
  'changes 7 apart make two hunks': [lines(20), lines(20).replace('line 4\n', 'x\n').replace('line 12\n', 'y\n')],
  'no newline at end, before only': ['a\nb\nc', 'a\nb\nc\n'],
  'no newline at end, after only': ['a\nb\nc\n', 'a\nb\nc'],
  'no newline at end, last line changed': ['a\nb\nc', 'a\nb\nd'],
  'no newline at end of both, as context': ['a\nb\nc\nd', 'a\nB\nc\nd'],
  'single line files': ['x\n', 'y\n'],
  'block replaced by a longer block': [lines(12), lines(12).replace('line 6\nline 7\n', 'six\nseven\neight\nnine\n')],
  'config file edit': [
    'Port 22\nPermitRootLogin yes\nPasswordAuthentication yes\nX11Forwarding no\nUsePAM yes\n',
    'Port 2222\nPermitRootLogin no\nPasswordAuthentication yes\nX11Forwarding no\nUsePAM yes\nAllowUsers ops\n',
  ],
};

describe('unifiedDiff', () => {
  it('returns nothing for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n')).toBe('');
  });

  it('names the files in the headers', () => {
    expect(unifiedDiff('a\n', 'b\n', { fromFile: 'before: /etc/motd', toFile: 'after: /etc/motd' })).toBe(
      '--- before: /etc/motd\n+++ after: /etc/motd\n@@ -1 +1 @@\n-a\n+b\n',
    );
  });

  for (const [name, [before, after]] of Object.entries(CASES)) {
    it(`matches GNU diff -u: ${name}`, () => {
      expect(body(unifiedDiff(before, after))).toBe(body(gnuDiff(before, after)));
    });
  }

  it('matches GNU diff with other context sizes', () => {
    const [before, after] = CASES['two hunks far apart']!;
    for (const context of [0, 1, 5]) {
      expect(body(unifiedDiff(before, after, { context }))).toBe(body(gnuDiff(before, after, [`-U${context}`])));
    }
  });

  it('is minimal and applies with GNU patch on random edits', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 40; round++) {
      const alphabet = ['a', 'b', 'c', 'd', 'e'];
      const make = (count: number) => Array.from({ length: count }, () => `${alphabet[Math.floor(random() * alphabet.length)]}\n`).join('');
      const before = make(Math.floor(random() * 30));
      const after = random() < 0.2 ? make(Math.floor(random() * 30)) : mutate(before, random);
      const ours = unifiedDiff(before, after);
      const theirs = gnuDiff(before, after, ['-u', '--minimal']);
      expect(changedLines(ours), `round ${round}`).toEqual(changedLines(theirs));
      if (ours !== '') expect(gnuPatch(before, ours)).toBe(after);
    }
  });

  it('handles a large rewrite in linear space', () => {
    const before = lines(20_000, 'old');
    const after = lines(20_000, 'new');
    const diff = unifiedDiff(before, after);
    expect(changedLines(diff)).toEqual({ removed: 20_000, added: 20_000 });
  });
});

function mutate(text: string, random: () => number): string {
  const result = text.split(/(?<=\n)/).filter(Boolean);
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (result.length + 1));
    if (random() < 0.5 && result.length > 0) result.splice(Math.min(at, result.length - 1), 1);
    else result.splice(at, 0, `${'xyz'[Math.floor(random() * 3)]}\n`);
  }
  return result.join('');
}

function changedLines(diff: string): { removed: number; added: number } {
  const rows = body(diff).split('\n');
  return { removed: rows.filter((row) => row.startsWith('-')).length, added: rows.filter((row) => row.startsWith('+')).length };
}
