import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

// Ansible's VaultAES256: PBKDF2-HMAC-SHA256, 10,000 iterations, 80 bytes = AES key, HMAC key, CTR IV.
const ITERATIONS = 10_000;
const KEY_BYTES = 32;
const IV_BYTES = 16;
const BLOCK_BYTES = 16;
export const SALT_BYTES = 32;

/** Why a body could not be decrypted; the caller names the file and picks the code. */
export class CipherError extends Error {
  constructor(
    readonly reason: 'hmac' | 'corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'CipherError';
  }
}

interface DerivedKeys {
  readonly cipherKey: Buffer;
  readonly hmacKey: Buffer;
  readonly iv: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): DerivedKeys {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_BYTES + IV_BYTES, 'sha256');
  return { cipherKey: derived.subarray(0, KEY_BYTES), hmacKey: derived.subarray(KEY_BYTES, 2 * KEY_BYTES), iv: derived.subarray(2 * KEY_BYTES) };
}

/**
 * The vault body (before the envelope): hex(hex(salt) "\n" hex(hmac) "\n" hex(ciphertext)).
 * `salt` is only passed by tests reproducing Ansible's output; otherwise it is random.
 */
export function encryptBody(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const keys = deriveKeys(password, salt);
  // CTR needs no padding, but Ansible pads with PKCS7 anyway and expects it on decryption.
  const padLength = BLOCK_BYTES - (plaintext.length % BLOCK_BYTES);
  const padded = Buffer.concat([plaintext, Buffer.alloc(padLength, padLength)]);
  const cipher = createCipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()]);
  const hmac = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  const inner = [salt.toString('hex'), hmac.toString('hex'), ciphertext.toString('hex')].join('\n');
  return Buffer.from(inner, 'ascii').toString('hex');
}

/** The split body: throws CipherError('corrupt') when it is not Ansible's double hex. */
export function splitBody(hexBody: string): { salt: Buffer; hmac: Buffer; ciphertext: Buffer } {
  const inner = strictHex(hexBody, 'the body').toString('latin1');
  const parts = inner.split('\n');
  if (parts.length !== 3) throw new CipherError('corrupt', `the body holds ${parts.length} part${parts.length === 1 ? '' : 's'}, expected salt, HMAC and ciphertext`);
  const [salt, hmac, ciphertext] = [strictHex(parts[0]!, 'the salt'), strictHex(parts[1]!, 'the HMAC'), strictHex(parts[2]!, 'the ciphertext')];
  if (hmac.length !== 32) throw new CipherError('corrupt', `the HMAC is ${hmac.length} bytes, expected 32`);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK_BYTES !== 0) throw new CipherError('corrupt', `the ciphertext is ${ciphertext.length} bytes, not a whole number of 16-byte blocks`);
  return { salt, hmac, ciphertext };
}

/** Verifies the HMAC first (a wrong password fails here), then decrypts and unpads. */
export function decryptBody(hexBody: string, password: Buffer): Buffer {
  const { salt, hmac, ciphertext } = splitBody(hexBody);
  const keys = deriveKeys(password, salt);
  const expected = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  if (!timingSafeEqual(expected, hmac)) throw new CipherError('hmac', 'HMAC verification failed');
  const decipher = createDecipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const padLength = padded[padded.length - 1]!;
  const padding = padded.subarray(padded.length - padLength);
  if (padLength < 1 || padLength > BLOCK_BYTES || !padding.every((byte) => byte === padLength)) {
    throw new CipherError('corrupt', 'the padding is invalid');
  }
  return padded.subarray(0, padded.length - padLength);
}

function strictHex(text: string, what: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new CipherError('corrupt', `${what} is not hexadecimal`);
  return Buffer.from(text, 'hex');
}
