import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type KeyType = 'ed25519' | 'ecdsa' | 'rsa';

/** Generates an OpenSSH key pair with ssh-keygen; returns the public key line. */
export function generateKey(path: string, type: KeyType = 'ed25519', passphrase = '', comment = 'rackplay-lab'): string {
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', passphrase, '-C', comment, '-f', path], { stdio: 'pipe' });
  return readFileSync(`${path}.pub`, 'utf8').trim();
}
