import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU `diff -u` (or any flags) on two texts; exit status 1 just means they differ. */
export function gnuDiff(before: string, after: string, flags: readonly string[] = ['-u']): string {
  const dir = mkdtempSync(join(tmpdir(), 'rackplay-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    try {
      return execFileSync('diff', [...flags, 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      const failure = error as { status?: number; stdout?: string };
      if (failure.status === 1 && typeof failure.stdout === 'string') return failure.stdout;
      throw error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies a unified diff with GNU patch and returns the patched text. */
export function gnuPatch(before: string, diff: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rackplay-patch-'));
  try {
    writeFileSync(join(dir, 'file'), before);
    writeFileSync(join(dir, 'change.diff'), diff);
    execFileSync('patch', ['--silent', '--force', 'file', 'change.diff'], { cwd: dir, encoding: 'utf8' });
    return readFileSync(join(dir, 'file'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The diff without its two header lines (GNU's carry file names and timestamps). */
export function body(diff: string): string {
  return diff.split('\n').slice(2).join('\n');
}
