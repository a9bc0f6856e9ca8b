import { describe, expect, it } from 'vitest';
import { decryptBody, encryptBody } from '../../src/vault/cipher.js';
import { formatEnvelope, parseEnvelope } from '../../src/vault/envelope.js';
import { VaultKeyring } from '../../src/vault/keyring.js';

// The vector of issue #9: Ansible's output for password `secret`, salt 0x00..0x1f, `hello world\n`.
const VECTOR = `$ANSIBLE_VAULT;1.1;AES256
30303031303230333034303530363037303830393061306230633064306530663130313131323133
3134313531363137313831393161316231633164316531660a313235343630323032333431643334
34663437303161386662373838336465396533356562643365393565396462653836393132666638
3963643961653132620a613064376363646137336234383363633031353562643166336435313238
3465
`;
const SALT = Buffer.from(Array.from({ length: 32 }, (_, index) => index));
const PASSWORD = Buffer.from('secret');

describe('vault cipher (Ansible VaultAES256)', () => {
  it('reproduces the test vector exactly with the fixed salt', () => {
    expect(formatEnvelope(encryptBody(Buffer.from('hello world\n'), PASSWORD, SALT))).toBe(VECTOR);
  });

  it('decrypts the test vector', () => {
    expect(decryptBody(parseEnvelope(VECTOR).body, PASSWORD).toString()).toBe('hello world\n');
    const keyring = new VaultKeyring([{ vaultId: 'default', password: PASSWORD, source: 'test' }]);
    expect(keyring.decrypt(VECTOR, 'vector').plaintext.toString()).toBe('hello world\n');
  });

  it('round-trips every padding length, empty and binary plaintexts included', () => {
    for (let length = 0; length <= 33; length++) {
      const plaintext = Buffer.from(Array.from({ length }, (_, index) => (index * 37) % 256));
      const text = formatEnvelope(encryptBody(plaintext, PASSWORD));
      expect(decryptBody(parseEnvelope(text).body, PASSWORD).equals(plaintext)).toBe(true);
    }
  });

  it('wraps the body at 80 characters and writes a 1.2 header for a labelled id', () => {
    const text = formatEnvelope(encryptBody(Buffer.from('x'.repeat(200)), PASSWORD), 'prod');
    const lines = text.split('\n');
    expect(lines[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.slice(1, -2).every((line) => line.length === 80)).toBe(true);
    expect(parseEnvelope(text).vaultId).toBe('prod');
  });
});

describe('cost of PBKDF2 (10,000 iterations) per vault text', () => {
  it('decrypts one file in a few milliseconds; the time is logged for the record', () => {
    const keyring = new VaultKeyring([{ vaultId: 'default', password: PASSWORD, source: 'test' }]);
    const texts = Array.from({ length: 20 }, (_, index) => formatEnvelope(encryptBody(Buffer.from(`k${index}: ${'v'.repeat(200)}\n`), PASSWORD)));
    const times = texts.map((text) => {
      const started = performance.now();
      keyring.decrypt(text, 'bench');
      return performance.now() - started;
    });
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.info(`vault decrypt: median ${median.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms per file (20 files)`);
    // A generous bound for a shared 2-core machine: a regression to, say, 100k iterations would show.
    expect(median).toBeLessThan(100);
  });
});
