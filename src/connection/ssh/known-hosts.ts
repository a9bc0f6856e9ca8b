import { createHmac } from 'node:crypto';

/** One key line of an OpenSSH known_hosts file. Pure data: parsing and matching do no IO. */
export interface KnownHostEntry {
  readonly file: string;
  /** 1-based, for messages that point at the line to fix. */
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  /** The host field as written: comma-separated patterns, or one hashed `|1|salt|hash`. */
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH ignores the line too
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) return;
    const key = Buffer.from(base64, 'base64');
    if (key.length === 0) return;
    entries.push({ file, line: index + 1, hosts, keyType, key, ...(marker !== undefined ? { marker } : {}) });
  });
  return entries;
}

/** The name OpenSSH looks up and writes: the bare host on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function hostMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|1|')) return hashedMatches(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), name)) return false; // a negated match vetoes the whole line
    } else if (globMatches(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as written by `ssh-keygen -H` / HashKnownHosts. */
function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** OpenSSH patterns: `*` any run, `?` one character, case-insensitive like hostnames. */
export function globMatches(pattern: string, text: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(text);
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function blobKeyType(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

export type HostKeyVerdict =
  | { readonly kind: 'known'; readonly entry: KnownHostEntry }
  | { readonly kind: 'unknown'; readonly otherTypes: readonly KnownHostEntry[] }
  | { readonly kind: 'changed'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry };

/**
 * OpenSSH's decision: a revoked key is refused; a matching line with the same key type and the same key
 * accepts; the same type with another key is a CHANGED key; lines of other key types leave the key unknown.
 */
export function judgeHostKey(entries: readonly KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const type = blobKeyType(blob);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostMatches(e, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked !== undefined) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.keyType === type && e.key.equals(blob));
  if (same !== undefined) return { kind: 'known', entry: same };
  const changed = plain.find((e) => e.keyType === type);
  if (changed !== undefined) return { kind: 'changed', entry: changed };
  return { kind: 'unknown', otherTypes: plain };
}

/** The line accept-new appends. */
export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${blobKeyType(blob)} ${blob.toString('base64')}\n`;
}
