import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, lstat, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * Every entry under a folder with its kind, mode, owner, times and content hash (or link target):
 * two equal snapshots mean nothing was touched, byte for byte.
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const visit = async (path: string): Promise<void> => {
    const info = await lstat(path);
    const attributes = `${(info.mode & 0o7777).toString(8)} ${info.uid}:${info.gid} mtime=${info.mtimeMs}`;
    const key = relative(root, path) || '.';
    if (info.isSymbolicLink()) snapshot[key] = `link ${await readlink(path)} ${attributes}`;
    else if (info.isDirectory()) {
      snapshot[key] = `dir ${attributes}`;
      for (const entry of await readdir(path)) await visit(join(path, entry));
    } else snapshot[key] = `file ${createHash('sha256').update(await readFile(path)).digest('hex')} ${attributes}`;
  };
  await visit(root);
  return snapshot;
}

/** A fresh temp folder for each test, removed afterwards. */
export function useTempDir(): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(async () => {
    holder.path = await mkdtemp(join(tmpdir(), 'rackplay-modules-'));
  });
  afterEach(async () => {
    await rm(holder.path, { recursive: true, force: true });
  });
  return holder;
}
