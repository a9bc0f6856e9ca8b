import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The lab's git-ignored cache: the kernel package, its extracted tree and built initramfs images. */
export const CACHE_DIR = fileURLToPath(new URL('../../../.cache/ipvs-vm/', import.meta.url));

/**
 * Builds `finalPath` through `build(tempPath)` then renames it into place, so a build interrupted half-way
 * never looks finished and two test files building at once both end up with one complete copy.
 */
export function buildOnce(finalPath: string, build: (tempPath: string) => void): string {
  if (existsSync(finalPath)) return finalPath;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tempPath = `${finalPath}.tmp-${process.pid}-${Date.now()}`;
  try {
    build(tempPath);
    if (!existsSync(finalPath)) renameSync(tempPath, finalPath);
  } catch (error) {
    // Another process may have finished the same build first (rename onto a non-empty dir fails).
    if (!existsSync(finalPath)) throw error;
  } finally {
    rmSync(tempPath, { recursive: true, force: true });
  }
  return finalPath;
}
