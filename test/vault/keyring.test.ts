import { describe, expect, it } from 'vitest';
import { VaultKeyring } from '../../src/vault/keyring.js';
import { REDACTED, redact } from '../../src/run/secrets.js';
import { addSecretForms } from '../../src/run/secret-forms.js';
import { vaultText } from './fixtures.js';

const secret = (vaultId: string, password: string) => ({ vaultId, password: Buffer.from(password), source: `${vaultId}-file` });

describe('vault id matching, as Ansible does it', () => {
  // Both ids share a password, so whichever is tried first opens the file: the result shows the order.
  const keyring = new VaultKeyring([secret('dev', 'same'), secret('prod', 'same')]);

  it('tries the secret whose label matches the header first', () => {
    expect(keyring.decrypt(vaultText('x', 'same', 'prod'), 'f').vaultId).toBe('prod');
    expect(keyring.decrypt(vaultText('x', 'same', 'dev'), 'f').vaultId).toBe('dev');
  });

  it('then every other secret, in the order given', () => {
    expect(keyring.decrypt(vaultText('x', 'same', 'staging'), 'f').vaultId).toBe('dev');
    expect(new VaultKeyring([secret('dev', 'nope'), secret('prod', 'same')]).decrypt(vaultText('x', 'same', 'dev'), 'f').vaultId).toBe('prod');
  });

  it('encrypts with the chosen id, or the only one', () => {
    expect(keyring.encrypt(Buffer.from('x'), 'prod')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    expect(new VaultKeyring([secret('default', 'p')]).encrypt(Buffer.from('x'))).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect(() => keyring.encrypt(Buffer.from('x'))).toThrow(/choose one with --encrypt-vault-id/);
  });
});

describe('masking vault values', () => {
  const secrets = new Set<string>();
  addSecretForms(secrets, 'ab"c\nd\'e');
  addSecretForms(secrets, 'x1');

  it('masks however short, and the forms a value takes in output', () => {
    expect(redact('pin x1 and ab"c\nd\'e', secrets)).toBe(`pin ${REDACTED} and ${REDACTED}`);
    expect(redact(JSON.stringify({ v: 'ab"c\nd\'e' }), secrets)).toBe(`{"v":"${REDACTED}"}`);
    expect(redact(["ab\"c", "d'e"], secrets)).toEqual([REDACTED, REDACTED]);
    expect(redact("'ab\"c\nd'\\''e'", secrets)).toContain(REDACTED);
    expect(redact("'ab\"c\nd'\\''e'", secrets)).not.toContain('ab"c');
  });

  it('masks a longer secret whole even when a shorter one is inside it, and masking twice changes nothing', () => {
    const nested = new Set(['abc', 'abcdef', '**']);
    expect(redact('xx abcdef yy abc', nested)).toBe(`xx ${REDACTED} yy ${REDACTED}`);
    expect(redact(redact('abcdef', nested), nested)).toBe(REDACTED);
  });
});
