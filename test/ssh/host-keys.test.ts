import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../src/connection/ssh/index.js';
import { UnreachableError } from '../../src/connection/types.js';
import { generateKey } from '../lab/keys.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';

describe('host key checking against a real sshd', () => {
  let lab: SshLab;
  let otherKey: string;
  let name: string;

  beforeAll(async () => {
    lab = await startSshLab();
    otherKey = generateKey(join(lab.tempDir, 'impostor_host_key'), 'ed25519').split(' ').slice(0, 2).join(' ');
    name = `[127.0.0.1]:${lab.port}`;
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const file = (basename: string, text: string): string => {
    const path = join(lab.tempDir, basename);
    writeFileSync(path, text);
    return path;
  };
  const hostKey = (): string => lab.hostKeyPublic.split(' ').slice(0, 2).join(' ');

  it('strict: connects when the key is known', async () => {
    const ssh = await openSsh(labTarget(lab), 'lab');
    expect((await ssh.run(['true'])).exitCode).toBe(0);
    await ssh.close();
  });

  it('strict: refuses an unknown host, naming the host and the file', async () => {
    const knownHostsFile = file('kh-empty', '');
    const error = await openSsh(labTarget(lab, { knownHostsFile }), 'lab').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toContain(`host key for ${name} not found in ${knownHostsFile}`);
  });

  it('strict: refuses a changed key and names file:line of the entry', async () => {
    const knownHostsFile = file('kh-changed', `# header\nother.example ${hostKey()}\n${name} ${otherKey}\n`);
    const error = await openSsh(labTarget(lab, { knownHostsFile }), 'lab').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toContain(`${knownHostsFile}:3`);
    expect((error as Error).message).toMatch(/CHANGED/);
  });

  it('refuses a @revoked key even when it is also listed as valid', async () => {
    const knownHostsFile = file('kh-revoked', `${name} ${hostKey()}\n@revoked ${name} ${hostKey()}\n`);
    const error = await openSsh(labTarget(lab, { knownHostsFile, hostKeyChecking: 'accept-new' }), 'lab').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toContain(`REVOKED at ${knownHostsFile}:2`);
  });

  it('accept-new: records an unknown host, then still refuses a changed key', async () => {
    const knownHostsFile = join(lab.tempDir, 'fresh', 'known_hosts'); // the folder does not exist yet
    const ssh = await openSsh(labTarget(lab, { knownHostsFile, hostKeyChecking: 'accept-new' }), 'lab');
    await ssh.close();
    expect(readFileSync(knownHostsFile, 'utf8')).toBe(`${name} ${hostKey()}\n`);
    // The recorded line is one OpenSSH itself accepts.
    const ok = execFileSync('ssh', [
      '-p', String(lab.port), '-i', lab.privateKeyPath, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${knownHostsFile}`, `${lab.user}@127.0.0.1`, 'echo', 'ok',
    ], { encoding: 'utf8' });
    expect(ok).toBe('ok\n');
    writeFileSync(knownHostsFile, `${name} ${otherKey}\n`);
    const error = await openSsh(labTarget(lab, { knownHostsFile, hostKeyChecking: 'accept-new' }), 'lab').catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain(`${knownHostsFile}:1`);
  });

  it('accepts an entry hashed by ssh-keygen -H', async () => {
    const knownHostsFile = file('kh-hashed', `${name} ${hostKey()}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHostsFile], { stdio: 'pipe' });
    expect(readFileSync(knownHostsFile, 'utf8')).toMatch(/^\|1\|/);
    const ssh = await openSsh(labTarget(lab, { knownHostsFile }), 'lab');
    expect((await ssh.run(['echo', 'hashed'])).stdout).toBe('hashed\n');
    await ssh.close();
  });

  it('off: accepts a host whose recorded key differs, without touching the file', async () => {
    const knownHostsFile = file('kh-off', `${name} ${otherKey}\n`);
    const ssh = await openSsh(labTarget(lab, { knownHostsFile, hostKeyChecking: 'off' }), 'lab');
    await ssh.close();
    expect(readFileSync(knownHostsFile, 'utf8')).toBe(`${name} ${otherKey}\n`);
  });
});
