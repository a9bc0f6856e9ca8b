import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';
import { inlineVault, vaultText } from './fixtures.js';

const PASSWORD = 'right-password';

describe('vault errors: clear, coded, positioned, and nothing half-written', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const path = (name: string) => join(dir, name);
  const right = () => ['--vault-password-file', path('right')];
  const wrong = () => ['--vault-password-file', path('wrong')];
  beforeAll(async () => {
    ({ path: dir, cleanup } = await tempDir('rackplay-vault-errors-'));
    await writeFile(path('right'), `${PASSWORD}\n`);
    await writeFile(path('wrong'), 'not-it\n');
    await writeFile(path('vaulted.yml'), vaultText('x: 1\n', PASSWORD));
    await writeFile(path('prod.yml'), vaultText('x: 1\n', PASSWORD, 'prod'));
    await writeFile(path('plain.yml'), 'x: 1\n');
    await writeFile(path('vars-play.yml'), '- hosts: localhost\n  vars_files: [vaulted.yml]\n  tasks:\n    - debug: { msg: "{{x}}" }\n');
    await writeFile(path('inline-play.yml'), `- hosts: localhost\n  vars:\n    a: 1\n    token: ${inlineVault('t0ken', PASSWORD, 4)}\n  tasks:\n    - debug: { msg: "{{token}}" }\n`);
  });
  afterAll(async () => cleanup());

  it('a wrong password names the file: vault command exit 1, playbook load exit 4 at file:1:1', async () => {
    const view = await rackplay('vault', 'view', ...wrong(), path('vaulted.yml'));
    expect(view.code).toBe(1);
    expect(view.stderr).toContain(`E_VAULT_DECRYPT Decryption failed (HMAC verification failed) on ${path('vaulted.yml')}`);
    const run = await rackplay('run', path('vars-play.yml'), ...wrong());
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${path('vaulted.yml')}:1:1 E_VAULT_DECRYPT Decryption failed (HMAC verification failed) on ${path('vaulted.yml')}`);
  });

  it('an inline !vault value with a wrong password, or none, is a load error at its line and column', async () => {
    const run = await rackplay('run', path('inline-play.yml'), ...wrong());
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(new RegExp(`${path('inline-play.yml')}:4:12 E_VAULT_DECRYPT Decryption failed \\(HMAC verification failed\\) on a !vault value in ${path('inline-play.yml')}`));
    for (const command of ['run', 'validate']) {
      const none = await rackplay(command, path('inline-play.yml'));
      expect(none.code, none.stderr).toBe(4);
      expect(none.stderr).toMatch(/inline-play\.yml:4:12 E_VAULT_NO_SECRET .*no vault password was given; give one with --vault-password-file/);
      expect(none.stderr).not.toContain('unexpected');
    }
    const vars = await rackplay('run', path('vars-play.yml'));
    expect(vars.code).toBe(4);
    expect(vars.stderr).toContain(`vaulted.yml:1:1 E_VAULT_NO_SECRET`);
  });

  it('a vault id with no secret: encrypting for it, opening a file made for it, or an empty --vault-id', async () => {
    await writeFile(path('to-encrypt.yml'), 'y: 2\n');
    const encrypt = await rackplay('vault', 'encrypt', '--vault-id', `dev@${path('right')}`, '--encrypt-vault-id', 'prod', path('to-encrypt.yml'));
    expect(encrypt.code).toBe(1);
    expect(encrypt.stderr).toContain("E_VAULT_NO_SECRET vault id 'prod' has no secret (given: dev)");
    expect(await readFile(path('to-encrypt.yml'), 'utf8')).toBe('y: 2\n');
    const open = await rackplay('vault', 'view', '--vault-id', `dev@${path('wrong')}`, path('prod.yml'));
    expect(open.stderr).toContain(`E_VAULT_NO_SECRET Decryption failed (HMAC verification failed) on ${path('prod.yml')}: it is encrypted for vault id 'prod', no secret was given for that id`);
    const empty = await rackplay('run', path('vars-play.yml'), '--vault-id', 'prod@');
    expect(empty.code).toBe(5);
    expect(empty.stderr).toContain("E_VAULT_NO_SECRET --vault-id 'prod@': expected LABEL@SOURCE");
    const several = await rackplay('vault', 'encrypt', '--vault-id', `dev@${path('right')}`, '--vault-id', `prod@${path('right')}`, path('to-encrypt.yml'));
    expect(several.stderr).toContain('choose one with --encrypt-vault-id');
  });

  it('corrupted bodies and headers are E_VAULT_FORMAT; a flipped ciphertext byte fails the HMAC', async () => {
    const good = vaultText('z: 3\n', PASSWORD);
    const cases: [string, string, RegExp][] = [
      // The body's first line gets two non-hex characters: a replace of some digit would depend on the random salt.
      ['not-hex.yml', good.replace(/\n../, '\nzz'), /E_VAULT_FORMAT .*not-hex\.yml: corrupted vault data: the body is not hexadecimal/],
      ['truncated.yml', good.split('\n').slice(0, 3).join('\n'), /E_VAULT_FORMAT .*corrupted vault data/],
      ['version.yml', good.replace('1.1', '9.9'), /E_VAULT_FORMAT .*unsupported vault format version '9\.9'/],
      ['cipher.yml', good.replace('AES256', 'DES'), /E_VAULT_FORMAT .*unsupported cipher 'DES'/],
      ['empty-body.yml', '$ANSIBLE_VAULT;1.1;AES256\n', /E_VAULT_FORMAT .*the body is empty/],
    ];
    for (const [name, text, expected] of cases) {
      await writeFile(path(name), text);
      const view = await rackplay('vault', 'view', ...right(), path(name));
      expect(view.code, name).toBe(1);
      expect(view.stderr, name).toMatch(expected);
      expect(view.stderr).toContain(path(name));
    }
    // The body's last pair encodes the ciphertext's last hex digit: another digit, and the HMAC no longer matches.
    const lines = good.trimEnd().split('\n');
    const last = lines.at(-1)!;
    lines[lines.length - 1] = last.slice(0, -2) + (last.endsWith('30') ? '31' : '30');
    await writeFile(path('tampered.yml'), `${lines.join('\n')}\n`);
    const tampered = await rackplay('vault', 'view', ...right(), path('tampered.yml'));
    expect(tampered.stderr).toContain(`E_VAULT_DECRYPT Decryption failed (HMAC verification failed) on ${path('tampered.yml')}`);
  });

  it('decrypt refuses a file that is not a vault; encrypt refuses one that already is', async () => {
    const decrypt = await rackplay('vault', 'decrypt', ...right(), path('plain.yml'));
    expect(decrypt.code).toBe(1);
    expect(decrypt.stderr).toContain(`E_VAULT_FORMAT ${path('plain.yml')} is not a vault-encrypted file`);
    const twice = await rackplay('vault', 'encrypt', ...right(), path('vaulted.yml'));
    expect(twice.stderr).toContain('is already vault-encrypted');
    const missing = await rackplay('vault', 'view', ...right(), path('nope.yml'));
    expect(missing.stderr).toContain(`E_FILE_NOT_FOUND file not found: ${path('nope.yml')}`);
    const noFolder = await rackplay('vault', 'encrypt', ...right(), '--output', path('no/such/dir/out.yml'), path('plain.yml'));
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toMatch(/^rackplay vault: ENOENT: no such file or directory/);
  });

  it('password sources that fail are E_VAULT_PASSWORD, exit 5 for a run', async () => {
    await writeFile(path('fails.sh'), '#!/bin/sh\necho "vault locked" >&2\nexit 3\n');
    await chmod(path('fails.sh'), 0o700);
    await writeFile(path('empty-pw'), '\n\n');
    const cases: [string[], RegExp][] = [
      [['--vault-password-file', path('missing')], /E_VAULT_PASSWORD cannot read the vault password from .*missing: file not found/],
      [['--vault-password-file', path('fails.sh')], /E_VAULT_PASSWORD cannot read the vault password from .*fails\.sh: it exited with 3: vault locked/],
      [['--vault-password-file', path('empty-pw')], /E_VAULT_PASSWORD the vault password from .*empty-pw is empty/],
      [['--ask-vault-pass'], /E_VAULT_PASSWORD cannot ask for the vault password: stdin is not a terminal/],
      [['--vault-id', 'prod@prompt'], /E_VAULT_PASSWORD cannot ask for the vault password: stdin is not a terminal/],
    ];
    for (const [options, expected] of cases) {
      const run = await rackplay('run', path('vars-play.yml'), ...options);
      expect(run.code, options.join(' ')).toBe(5);
      expect(run.stderr).toMatch(expected);
    }
  });

  it('encrypt, rekey and edit replace the file by rename; a failed rekey leaves it untouched', async () => {
    await writeFile(path('atomic.yml'), 'a: 1\n');
    const inode = async () => (await stat(path('atomic.yml'))).ino;
    let before = await inode();
    await rackplay('vault', 'encrypt', ...right(), path('atomic.yml'));
    expect(await inode()).not.toBe(before);
    before = await inode();
    const encrypted = await readFile(path('atomic.yml'), 'utf8');
    const failed = await rackplay('vault', 'rekey', ...wrong(), '--new-vault-password-file', path('right'), path('atomic.yml'));
    expect(failed.code).toBe(1);
    expect(await readFile(path('atomic.yml'), 'utf8')).toBe(encrypted);
    expect(await inode()).toBe(before);
    await rackplay('vault', 'rekey', ...right(), '--new-vault-password-file', path('wrong'), path('atomic.yml'));
    expect(await inode()).not.toBe(before);
  });
});
