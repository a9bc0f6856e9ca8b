import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { blobKeyType, hostMatches, judgeHostKey, knownHostsLine, knownHostsName, parseKnownHosts } from './known-hosts.js';
import type { KnownHostEntry } from './known-hosts.js';

export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

/** ssh2's default host key algorithms (lib/protocol/constants.js), which it does not export. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

export interface HostKeyCheck {
  /** For ssh2's `hostVerifier`: true accepts the raw key blob. */
  verify(blob: Buffer): boolean;
  /** Why the last key was refused, for the UnreachableError message. */
  readonly rejection: string | undefined;
  /**
   * Host key algorithms with the types already known for this host first, as OpenSSH orders them, so that
   * a host with several keys presents the one we can check instead of looking unknown.
   */
  readonly algorithms: string[];
}

export function hostKeyCheck(mode: HostKeyChecking, file: string, host: string, port: number): HostKeyCheck {
  const name = knownHostsName(host, port);
  const entries = mode === 'off' ? [] : readEntries(file);
  let rejection: string | undefined;
  return {
    get rejection() {
      return rejection;
    },
    algorithms: preferredAlgorithms(entries.filter((e) => e.marker === undefined && hostMatches(e, name))),
    verify(blob) {
      if (mode === 'off') return true;
      // Re-read: another connection of this run may have just added the host (accept-new, same host twice).
      const verdict = judgeHostKey(readEntries(file), name, blob);
      switch (verdict.kind) {
        case 'known':
          return true;
        case 'revoked':
          rejection = `host key for ${name} is REVOKED at ${where(verdict.entry)}; refusing to connect`;
          return false;
        case 'changed':
          rejection =
            `host key for ${name} has CHANGED (possible man-in-the-middle): the ${blobKeyType(blob)} key offered ` +
            `differs from ${where(verdict.entry)}; remove that line if the change is expected`;
          return false;
        case 'unknown':
          if (mode === 'accept-new') {
            appendKnownHost(file, knownHostsLine(name, blob));
            return true;
          }
          rejection = `host key for ${name} not found in ${file}${otherTypesNote(verdict.otherTypes)} (host key checking is strict)`;
          return false;
      }
    },
  };
}

function readEntries(file: string): KnownHostEntry[] {
  if (!existsSync(file)) return [];
  return parseKnownHosts(readFileSync(file, 'utf8'), file);
}

function appendKnownHost(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  appendFileSync(file, separator + line, { mode: 0o600 });
}

function where(entry: KnownHostEntry): string {
  return `${entry.file}:${entry.line}`;
}

function otherTypesNote(others: readonly KnownHostEntry[]): string {
  if (others.length === 0) return '';
  return ` (only ${others.map((e) => `${e.keyType} at ${where(e)}`).join(', ')} known)`;
}

function preferredAlgorithms(known: readonly KnownHostEntry[]): string[] {
  const first = new Set<string>();
  for (const entry of known) {
    for (const algorithm of algorithmsForKeyType(entry.keyType)) first.add(algorithm);
  }
  return [...first, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !first.has(a))];
}

function algorithmsForKeyType(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return DEFAULT_HOST_KEY_ALGORITHMS.includes(type) ? [type] : [];
}
