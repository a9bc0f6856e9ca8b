import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blobKeyType,
  hostMatches,
  judgeHostKey,
  knownHostsName,
  parseKnownHosts,
} from '../../src/connection/ssh/known-hosts.js';
import { generateKey } from '../lab/keys.js';

/** Pure known_hosts logic, fed with keys and hashed lines produced by the real ssh-keygen. */
describe('known_hosts parsing and matching', () => {
  let dir: string;
  let keyA: Buffer;
  let keyB: Buffer;
  let lineA: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rackplay-kh-'));
    lineA = generateKey(join(dir, 'a'), 'ed25519');
    keyA = Buffer.from(lineA.split(' ')[1]!, 'base64');
    keyB = Buffer.from(generateKey(join(dir, 'b'), 'ed25519').split(' ')[1]!, 'base64');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names hosts like OpenSSH: bare on port 22, [host]:port otherwise', () => {
    expect(knownHostsName('example.org', 22)).toBe('example.org');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('reads the key type from the blob', () => {
    expect(blobKeyType(keyA)).toBe('ssh-ed25519');
  });

  it('matches plain, wildcard, negated and bracketed patterns', () => {
    const [entry] = parseKnownHosts(`web-?.example.org,*.lab,!bad.lab,[10.0.0.1]:2222 ${lineA}\n`, 'f');
    expect(hostMatches(entry!, 'web-1.example.org')).toBe(true);
    expect(hostMatches(entry!, 'web-10.example.org')).toBe(false);
    expect(hostMatches(entry!, 'db.lab')).toBe(true);
    expect(hostMatches(entry!, 'bad.lab')).toBe(false);
    expect(hostMatches(entry!, '[10.0.0.1]:2222')).toBe(true);
    expect(hostMatches(entry!, '10.0.0.1')).toBe(false);
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `[127.0.0.1]:2222 ${lineA}\nplain.example ${lineA}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'pipe' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(judgeHostKey(entries, '[127.0.0.1]:2222', keyA).kind).toBe('known');
    expect(judgeHostKey(entries, 'plain.example', keyA).kind).toBe('known');
    expect(judgeHostKey(entries, '[127.0.0.1]:2223', keyA).kind).toBe('unknown');
  });

  it('judges known, changed (with its line), revoked and unknown keys', () => {
    const text = ['# comment', '', `h1 ${lineA}`, `h2 ${lineA}`, `@revoked h3 ${lineA}`, `h3 ${lineA}`, `@cert-authority h4 ${lineA}`].join('\n');
    const entries = parseKnownHosts(text, '/x/known_hosts');
    expect(judgeHostKey(entries, 'h1', keyA)).toMatchObject({ kind: 'known', entry: { line: 3 } });
    expect(judgeHostKey(entries, 'h2', keyB)).toMatchObject({ kind: 'changed', entry: { line: 4, file: '/x/known_hosts' } });
    expect(judgeHostKey(entries, 'h3', keyA)).toMatchObject({ kind: 'revoked', entry: { line: 5 } });
    expect(judgeHostKey(entries, 'h4', keyA).kind).toBe('unknown'); // CA lines sign certificates, not plain keys
    expect(judgeHostKey(entries, 'nowhere', keyA).kind).toBe('unknown');
  });

  it('treats a key of another type as unknown, not changed (as OpenSSH does)', () => {
    const ecdsa = generateKey(join(dir, 'c'), 'ecdsa');
    const entries = parseKnownHosts(`h1 ${ecdsa}\n`, 'f');
    const verdict = judgeHostKey(entries, 'h1', keyA);
    expect(verdict.kind).toBe('unknown');
    expect(verdict.kind === 'unknown' && verdict.otherTypes[0]?.keyType).toBe('ecdsa-sha2-nistp256');
  });
});
