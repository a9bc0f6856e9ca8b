import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../src/connection/ssh/index.js';
import { UnreachableError } from '../../src/connection/types.js';
import { generateKey } from '../lab/keys.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';
import { isRoot } from '../lab/test-user.js';

const root = isRoot();
if (!root) console.warn('SKIPPED: SSH password-auth and root-login tests need root (chpasswd, sshd user switch)');
const itRoot = root ? it : it.skip;
const rootOnly = root ? '' : ' (SKIPPED: needs root)';

async function whoami(lab: SshLab, overrides: Parameters<typeof labTarget>[1]): Promise<string> {
  const ssh = await openSsh(labTarget(lab, overrides), 'lab');
  try {
    return (await ssh.run(['id', '-un'])).stdout.trim();
  } finally {
    await ssh.close();
  }
}

describe('SSH authentication against a real sshd', () => {
  let lab: SshLab;
  beforeAll(async () => {
    lab = await startSshLab();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
    it(`logs in with an ${type} user key`, async () => {
      const key = lab.addUserKey(type);
      expect(await whoami(lab, { privateKeyPaths: [key] })).toBe(lab.user);
    });
  }

  it('logs in with a passphrase-protected key given its passphrase', async () => {
    const key = lab.addUserKey('ed25519', 'correct horse');
    expect(await whoami(lab, { privateKeyPaths: [key], passphrase: 'correct horse' })).toBe(lab.user);
  });

  it('names the key when its passphrase is wrong or missing', async () => {
    const key = lab.addUserKey('ecdsa', 'correct horse');
    for (const passphrase of ['wrong', undefined]) {
      const error = await openSsh(labTarget(lab, { privateKeyPaths: [key], passphrase }), 'lab').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as Error).message).toContain(`cannot use private key ${key}`);
    }
  });

  it('skips an unusable key and goes on with the next one', async () => {
    const locked = lab.addUserKey('ed25519', 'secret');
    expect(await whoami(lab, { privateKeyPaths: [locked, lab.privateKeyPath] })).toBe(lab.user);
  });

  it('fails fast with UnreachableError, without retrying, when no key is authorized', async () => {
    const stranger = join(lab.tempDir, 'stranger');
    generateKey(stranger, 'ed25519');
    const started = performance.now();
    const error = await openSsh(labTarget(lab, { privateKeyPaths: [stranger], retries: 5 }), 'lab-9').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(/^lab-9: ssh .*authentication failed \(tried: publickey stranger\)/);
    expect((error as Error).message).not.toMatch(/attempts/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('password auth and root logins', () => {
  let passwordLab: SshLab | undefined;
  let rootLab: SshLab | undefined;
  afterAll(async () => {
    await passwordLab?.stop();
    await rootLab?.stop();
  });

  itRoot(`logs in with a password, and reports a wrong one as an auth failure${rootOnly}`, async () => {
    passwordLab = await startSshLab({ passwordAuth: true });
    expect(await whoami(passwordLab, { privateKeyPaths: [], password: passwordLab.password })).toBe(passwordLab.user);
    const error = await openSsh(labTarget(passwordLab, { privateKeyPaths: [], password: 'nope' }), 'lab').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(/authentication failed \(tried: password/);
  });

  itRoot(`logs in as root without become${rootOnly}`, async () => {
    rootLab = await startSshLab({ loginAsRoot: true });
    expect(rootLab.user).toBe('root');
    expect(await whoami(rootLab, {})).toBe('root');
  });
});
