import { spawnSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { RackplayError } from '../errors.js';

/**
 * Lets the user edit plaintext with $EDITOR (default vi), as ansible-vault does. The plaintext
 * lives in a private 0700 folder only while the editor runs; it is overwritten with zeros and the
 * folder (editor swap files included) removed afterwards, whatever happens.
 */
export async function editPlaintext(initial: Buffer, nameHint: string, editor: string = process.env.EDITOR || process.env.VISUAL || 'vi'): Promise<Buffer> {
  const folder = await mkdtemp(join(tmpdir(), 'rackplay-vault-'));
  // The extension is kept so the editor picks the right syntax highlighting.
  const file = join(folder, `plaintext${extname(nameHint)}`);
  try {
    await writeFile(file, initial, { mode: 0o600 });
    // `sh -c` so that EDITOR may carry arguments ("code --wait"), as Ansible splits it with shlex.
    const outcome = spawnSync('sh', ['-c', `${editor} "$1"`, 'editor', file], { stdio: 'inherit' });
    if (outcome.error !== undefined) throw new RackplayError('E_VAULT_EDITOR', `cannot run the editor '${editor}': ${outcome.error.message}`);
    if (outcome.status !== 0) throw new RackplayError('E_VAULT_EDITOR', `the editor '${editor}' exited with ${outcome.status ?? outcome.signal}; nothing was saved`);
    return await readFile(file);
  } finally {
    await scrub(file);
    await rm(folder, { recursive: true, force: true });
  }
}

async function scrub(file: string): Promise<void> {
  try {
    const { size } = await stat(file);
    const handle = await open(file, 'r+');
    try {
      await handle.write(Buffer.alloc(size), 0, size, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Gone already (the editor may have replaced it by rename); the folder removal covers the rest.
  }
}
