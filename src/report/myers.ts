/**
 * Myers' O(ND) difference algorithm, linear-space variant ("middle snake" + divide and conquer).
 * Linear space matters: a rewritten 50k-line file must not need a D×D trace in memory.
 * Works on interned line ids so comparisons are integer compares.
 */

/** Pairs [indexInA, indexInB] of lines kept in common, in increasing order of both indexes. */
export type Matches = Array<readonly [number, number]>;

export function commonLines(a: Int32Array, b: Int32Array): Matches {
  // A line absent from the other side can never be kept, so it leaves the search space first
  // (GNU diff's discard_confusing_lines, simplified): a full rewrite then costs O(N), not O(N²).
  const inA = new Set(a);
  const inB = new Set(b);
  const aIndex = indexesWhere(a, (id) => inB.has(id));
  const bIndex = indexesWhere(b, (id) => inA.has(id));
  const aKept = Int32Array.from(aIndex, (i) => a[i]!);
  const bKept = Int32Array.from(bIndex, (i) => b[i]!);
  const matches: Matches = [];
  const size = aKept.length + bKept.length + 2;
  const forward = new Int32Array(2 * size + 1);
  const backward = new Int32Array(2 * size + 1);
  solve(aKept, 0, aKept.length, bKept, 0, bKept.length, matches, forward, backward);
  return matches.map(([i, j]) => [aIndex[i]!, bIndex[j]!] as const);
}

function indexesWhere(ids: Int32Array, keep: (id: number) => boolean): number[] {
  const result: number[] = [];
  ids.forEach((id, index) => {
    if (keep(id)) result.push(index);
  });
  return result;
}

function solve(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, out: Matches, vf: Int32Array, vb: Int32Array): void {
  // Common prefix and suffix cost nothing and keep the recursion shallow for typical edits.
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) out.push([aLo++, bLo++]);
  const suffix: Matches = [];
  while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) suffix.push([--aHi, --bHi]);
  if (aLo < aHi && bLo < bHi) {
    const [x, y, u, v] = middleSnake(a, aLo, aHi, b, bLo, bHi, vf, vb);
    solve(a, aLo, aLo + x, b, bLo, bLo + y, out, vf, vb);
    for (let i = 0; i < u - x; i++) out.push([aLo + x + i, bLo + y + i]);
    solve(a, aLo + u, aHi, b, bLo + v, bHi, out, vf, vb);
  }
  for (let i = suffix.length - 1; i >= 0; i--) out.push(suffix[i]!);
}

/**
 * Finds the middle snake of an optimal path, as [x, y, u, v] relative to (aLo, bLo): the snake
 * runs from (x, y) to (u, v). Callers guarantee both ranges are non-empty and differ at both ends,
 * so the edit distance is at least 2 and each half is strictly smaller (the recursion ends).
 */
function middleSnake(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, vf: Int32Array, vb: Int32Array): [number, number, number, number] {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const max = Math.ceil((n + m) / 2);
  const offset = (vf.length - 1) / 2;
  vf[offset + 1] = 0;
  vb[offset + 1] = 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && vf[offset + k - 1]! < vf[offset + k + 1]!) ? vf[offset + k + 1]! : vf[offset + k - 1]! + 1;
      let y = x - k;
      const x0 = x;
      const y0 = y;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      vf[offset + k] = x;
      // Backward diagonal c = delta - k holds the furthest x' reached from the end (x' = n - x).
      const c = delta - k;
      if (odd && c >= -(d - 1) && c <= d - 1 && x + vb[offset + c]! >= n) return [x0, y0, x, y];
    }
    for (let c = -d; c <= d; c += 2) {
      let x = c === -d || (c !== d && vb[offset + c - 1]! < vb[offset + c + 1]!) ? vb[offset + c + 1]! : vb[offset + c - 1]! + 1;
      let y = x - c;
      const x0 = x;
      const y0 = y;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
        x++;
        y++;
      }
      vb[offset + c] = x;
      const k = delta - c;
      if (!odd && k >= -d && k <= d && x + vf[offset + k]! >= n) return [n - x, m - y, n - x0, m - y0];
    }
  }
  // Unreachable: the paths always meet by d = ceil((n + m) / 2).
  throw new Error('myers: no middle snake');
}
