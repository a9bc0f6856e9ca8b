import { open } from 'node:fs/promises';
import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';

/**
 * The largest playbook, inventory or vars file rackplay reads. A 50 MB YAML file costs about 1.8 GB to
 * parse; real playbooks and inventories stay far below this.
 */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/**
 * Reads a YAML/INI/JSON source as text. Only regular files within MAX_SOURCE_BYTES are read: `/dev/urandom`
 * or a FIFO named by include_vars would otherwise never end. The size is checked on the open descriptor and
 * the read is bounded too, so a file growing after the check cannot slip past it.
 */
export async function readSourceText(file: string, from?: SourcePosition): Promise<{ text?: string; problem?: RackplayError }> {
  const at = from ?? { file, line: 1, col: 1 };
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read (${code ?? String(error)})`;
    return { problem: new RackplayError('E_FILE_NOT_FOUND', `${reason}: ${file}`, at) };
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { problem: new RackplayError('E_FILE_NOT_FOUND', `is a folder, not a file: ${file}`, at) };
    if (!stats.isFile()) return { problem: new RackplayError('E_FILE_NOT_REGULAR', `not a regular file (device, FIFO or socket): ${file}`, at) };
    if (stats.size > MAX_SOURCE_BYTES) return { problem: tooLarge(file, at) };
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_SOURCE_BYTES) return { problem: tooLarge(file, at) };
    }
    return { text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, at: SourcePosition): RackplayError {
  return new RackplayError('E_FILE_TOO_LARGE', `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB, the most rackplay reads: ${file}`, at);
}
