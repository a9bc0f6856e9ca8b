import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { ModuleContext } from '../../src/module/contract.js';
import type { PathState } from '../file/parse.js';
import { statPath } from '../file/stat.js';
import { DIFF_CONTENT_LIMIT } from './plan.js';


/** The bytes to write, decided on the controller. */
export interface CopySource {
  readonly content: Buffer;
  readonly sha256: string;
  /** The source file's name: used when dest turns out to be a folder. */
  readonly name?: string;
}

export interface CopyState {
  readonly source: CopySource;
  readonly target: PathState;
}

export function sourceFromBytes(content: Buffer, name?: string): CopySource {
  return { content, sha256: createHash('sha256').update(content).digest('hex'), name };
}

/**
 * A controller-side file named relative to the task's folder, or to its `folder` beside it
 * (`files/` for copy, `templates/` for template), as Ansible searches; a role's task looks in its
 * role's `folder` first (`roles/NAME/files/`), then in the roles that pulled it in.
 */
export async function readControllerFile(ctx: Pick<ModuleContext, 'baseDir' | 'searchDirs'>, src: string, folder: string): Promise<{ path: string; content: Buffer }> {
  const { baseDir, searchDirs = [] } = ctx;
  const candidates = isAbsolute(src) ? [src] : [...searchDirs.map((dir) => join(dir, folder, src)), join(baseDir, src), join(baseDir, folder, src)];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) throw new Error(`could not find src ${src} (looked in ${candidates.join(', ')})`);
  if ((await stat(path)).isDirectory()) throw new Error(`src ${path} is a directory; copying folders is not supported`);
  return { path, content: await readFile(path) };
}

/** One round trip: the target's attributes and hash, and its old content only when a diff will show it. */
export async function gatherCopy(ctx: ModuleContext, dest: string, source: CopySource): Promise<CopyState> {
  const target = await statPath(ctx, dest, {
    content: ctx.diff ? { unlessSha256: source.sha256 } : 'hash',
    maxContentBytes: DIFF_CONTENT_LIMIT,
    intoDirectory: source.name === undefined ? undefined : basename(source.name),
  });
  return { source, target };
}
