import { VaultKeyring } from '../../src/vault/keyring.js';

/** Vault text of `plaintext` under `password` (and a label for a 1.2 header), made by rackplay's own code. */
export function vaultText(plaintext: string, password: string, vaultId = 'default'): string {
  return new VaultKeyring([{ vaultId, password: Buffer.from(password), source: 'test' }]).encrypt(Buffer.from(plaintext));
}

/** A `!vault |` scalar for a YAML file, indented for a value at `indent` spaces. */
export function inlineVault(plaintext: string, password: string, indent: number, vaultId = 'default'): string {
  const pad = ' '.repeat(indent + 2);
  return `!vault |\n${vaultText(plaintext, password, vaultId).trimEnd().split('\n').map((line) => pad + line).join('\n')}`;
}
