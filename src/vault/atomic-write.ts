import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never half of either: a temp file
 * beside it (same file system), flushed, then renamed over it. An existing file keeps its mode;
 * a new one is private (0600), as a vault file should be.
 */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  const mode = await existingMode(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode ?? 0o600);
  try {
    try {
      await handle.writeFile(content);
      // open() applies the umask; an existing file's exact mode is restored.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}
