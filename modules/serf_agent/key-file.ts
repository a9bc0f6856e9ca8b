import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const KEY = /^[A-Za-z0-9+/]{43}=$/;

/**
 * The key behind `encrypt_key: generate`, kept on the controller in `file`: created once, then read by every host
 * and run. Hosts run concurrently, so the file is written complete under a private temp name and published with
 * link(), which fails with EEXIST when another host won: everyone then reads the one published key.
 */
export async function generatedKey(file: string): Promise<string> {
  const existing = await readKey(file);
  if (existing !== undefined) return existing;
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  // 32 random bytes in base64, exactly what `serf keygen` prints.
  await writeFile(temp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
  const key = await readKey(file);
  if (key === undefined) throw new Error(`encrypt_key_file ${file} does not hold a Serf key (base64 of 32 bytes)`);
  return key;
}

/** Reads the key, or undefined when the file does not exist yet. */
export async function readKey(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = text.trim();
  if (!KEY.test(key)) throw new Error(`encrypt_key_file ${file} does not hold a Serf key (base64 of 32 bytes, as serf keygen prints)`);
  return key;
}
