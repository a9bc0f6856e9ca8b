import { CipherError } from './cipher.js';

export const VAULT_MARKER = '$ANSIBLE_VAULT';
export const DEFAULT_VAULT_ID = 'default';
const LINE_WIDTH = 80;

/** A parsed vault text: its header fields and the hex body. */
export interface VaultEnvelope {
  readonly version: string;
  readonly cipher: string;
  /** From a 1.2 header; `default` for 1.1. */
  readonly vaultId: string;
  readonly body: string;
}

/** Ansible's is_encrypted: the text starts with the marker. */
export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(VAULT_MARKER);
}

/** Header line plus the body wrapped at 80 characters, ending with a newline; 1.2 carries a vault id. */
export function formatEnvelope(body: string, vaultId: string = DEFAULT_VAULT_ID): string {
  const header = vaultId === DEFAULT_VAULT_ID ? `${VAULT_MARKER};1.1;AES256` : `${VAULT_MARKER};1.2;AES256;${vaultId}`;
  const lines = [header];
  for (let start = 0; start < body.length; start += LINE_WIDTH) lines.push(body.slice(start, start + LINE_WIDTH));
  return `${lines.join('\n')}\n`;
}

/** Splits a vault text; throws CipherError('corrupt') for anything that is not one. */
export function parseEnvelope(text: string): VaultEnvelope {
  const lines = text.trim().split(/\r?\n/).map((line) => line.trim());
  const fields = (lines[0] ?? '').split(';').map((field) => field.trim());
  if (fields[0] !== VAULT_MARKER) throw new CipherError('corrupt', `it does not start with ${VAULT_MARKER}`);
  const [, version, cipher, vaultId] = fields;
  if (version !== '1.1' && version !== '1.2') throw new CipherError('corrupt', `unsupported vault format version '${version ?? ''}'`);
  if (cipher !== 'AES256') throw new CipherError('corrupt', `unsupported cipher '${cipher ?? ''}' (only AES256 exists)`);
  if (version === '1.2' && (vaultId === undefined || vaultId === '')) throw new CipherError('corrupt', 'a 1.2 header must name a vault id');
  const body = lines.slice(1).join('');
  if (body === '') throw new CipherError('corrupt', 'the body is empty');
  return { version, cipher, vaultId: version === '1.2' ? vaultId! : DEFAULT_VAULT_ID, body };
}
