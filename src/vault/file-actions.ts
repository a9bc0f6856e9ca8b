import { readFile, stat } from 'node:fs/promises';
import { RackplayError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { editPlaintext } from './editor.js';
import { isVaultText } from './envelope.js';
import type { VaultKeyring } from './keyring.js';

/** What ansible-vault's file actions do, on one file each; every write is a temp file + rename. */

export async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new RackplayError('E_FILE_NOT_FOUND', `${reason}: ${file}`);
  }
}

export async function encryptFile(keyring: VaultKeyring, file: string, output: string, vaultId?: string): Promise<void> {
  const plaintext = await readInput(file);
  if (isVaultText(plaintext.toString('latin1'))) throw new RackplayError('E_VAULT_FORMAT', `${file} is already vault-encrypted`);
  await writeFileAtomic(output, keyring.encrypt(plaintext, vaultId));
}

/** The plaintext of a vault file; a file that is not one is refused by name. */
export async function decryptFile(keyring: VaultKeyring, file: string): Promise<{ plaintext: Buffer; vaultId: string }> {
  const text = (await readInput(file)).toString('utf8');
  if (!isVaultText(text)) throw new RackplayError('E_VAULT_FORMAT', `${file} is not a vault-encrypted file (it does not start with $ANSIBLE_VAULT)`);
  const { plaintext, vaultId } = keyring.decrypt(text, file);
  return { plaintext, vaultId };
}

/** Re-encrypts with the new keyring's secret; the old password must open the file first. */
export async function rekeyFile(keyring: VaultKeyring, newKeyring: VaultKeyring, file: string, newVaultId?: string): Promise<void> {
  const { plaintext } = await decryptFile(keyring, file);
  await writeFileAtomic(file, newKeyring.encrypt(plaintext, newVaultId));
}

/** ansible-vault create: refuses an existing file, encrypts what the editor leaves. */
export async function createFile(keyring: VaultKeyring, file: string, vaultId?: string, editor?: string): Promise<void> {
  if (await exists(file)) throw new RackplayError('E_VAULT_FORMAT', `${file} exists already; use 'rackplay vault edit' to change it`);
  // The secret is chosen before the editor opens: a missing one must not cost the user their text.
  const secret = keyring.encryptionSecret(vaultId);
  const plaintext = await editPlaintext(Buffer.alloc(0), file, editor);
  await writeFileAtomic(file, keyring.encrypt(plaintext, secret.vaultId));
}

/**
 * ansible-vault edit: decrypts into the editor, and re-encrypts with the id that opened the file
 * (or --encrypt-vault-id). Nothing is rewritten when the text and the id are unchanged.
 */
export async function editFile(keyring: VaultKeyring, file: string, vaultId?: string, editor?: string): Promise<boolean> {
  const opened = await decryptFile(keyring, file);
  const targetId = vaultId ?? opened.vaultId;
  keyring.encryptionSecret(targetId);
  const edited = await editPlaintext(opened.plaintext, file, editor);
  if (edited.equals(opened.plaintext) && targetId === opened.vaultId) return false;
  await writeFileAtomic(file, keyring.encrypt(edited, targetId));
  return true;
}

/** `NAME: !vault |` (or a bare `!vault |`) with the vault text indented, as ansible-vault encrypt_string prints it. */
export function vaultYamlBlock(vaultText: string, name?: string): string {
  const indented = vaultText.trimEnd().split('\n').map((line) => `          ${line}`);
  return [`${name === undefined ? '' : `${name}: `}!vault |`, ...indented].join('\n');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
