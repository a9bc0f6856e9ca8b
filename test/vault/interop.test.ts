import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';
import { ANSIBLE, ANSIBLE_VAULT, ansible, haveAnsible } from './ansible-vault.js';

const PLAINTEXT = 'bmc_password: "S3cr3t-BMC!"\nserf_key: "cg8StVXbQJ0gPvMd9o7yrg=="\n';

describe.skipIf(!haveAnsible)('interop with the real ansible-vault (ansible-core)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const path = (name: string) => join(dir, name);
  beforeAll(async () => {
    ({ path: dir, cleanup } = await tempDir('rackplay-vault-interop-'));
    await writeFile(path('pw'), 'correct horse\n');
    await writeFile(path('pw-prod'), 'prod-password\n');
    await writeFile(path('pw-dev'), 'dev-password\n');
  });
  afterAll(async () => cleanup());

  it('decrypts a file that ansible-vault encrypted (format 1.1)', async () => {
    await writeFile(path('a.yml'), PLAINTEXT);
    await ansible(ANSIBLE_VAULT, ['encrypt', '--vault-password-file', path('pw'), path('a.yml')], dir);
    expect(await readFile(path('a.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    const view = await rackplay('vault', 'view', '--vault-password-file', path('pw'), path('a.yml'));
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toBe(PLAINTEXT);
  });

  it('encrypts a file that ansible-vault decrypts', async () => {
    await writeFile(path('b.yml'), PLAINTEXT);
    const encrypted = await rackplay('vault', 'encrypt', '--vault-password-file', path('pw'), path('b.yml'));
    expect(encrypted.code, encrypted.stderr).toBe(0);
    expect(await readFile(path('b.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n[0-9a-f]{80}\n/);
    const { stdout } = await ansible(ANSIBLE_VAULT, ['view', '--vault-password-file', path('pw'), path('b.yml')], dir);
    expect(stdout).toBe(PLAINTEXT);
  });

  it('prints encrypt_string blocks that Ansible reads as variables', async () => {
    const made = await rackplay('vault', 'encrypt_string', '--vault-password-file', path('pw'), '-n', 'bmc_password', 'S3cr3t-BMC!', '-n', 'serf_key', 'cg8StVXbQJ0gPvMd9o7yrg==');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^bmc_password: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n/);
    await writeFile(path('strings.yml'), made.stdout);
    // ansible (ad hoc, local, no inventory) loads the file as extra vars and prints them decrypted.
    const { stdout } = await ansible(
      ANSIBLE,
      ['localhost', '-c', 'local', '-m', 'debug', '-a', 'msg={{ bmc_password }}|{{ serf_key }}', '-e', `@${path('strings.yml')}`, '--vault-password-file', path('pw')],
      dir,
    );
    expect(stdout).toContain('"msg": "S3cr3t-BMC!|cg8StVXbQJ0gPvMd9o7yrg=="');
  });

  it('reads encrypt_string blocks made by ansible-vault, inline in a playbook', async () => {
    const { stdout: block } = await ansible(ANSIBLE_VAULT, ['encrypt_string', '--vault-id', `prod@${path('pw-prod')}`, '-n', 'token', 'from-ansible'], dir);
    await writeFile(path('inline.yml'), `- hosts: localhost\n  vars:\n    ${block.trim().replace(/\n/g, '\n    ')}\n  tasks:\n    - copy: { content: "{{token}}", dest: "${path('token.out')}" }\n`);
    const run = await rackplay('run', path('inline.yml'), '--vault-id', `dev@${path('pw-dev')}`, '--vault-id', `prod@${path('pw-prod')}`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await readFile(path('token.out'), 'utf8')).toBe('from-ansible');
  });

  it('vault ids work both ways: 1.2 headers from either side, each opened by the matching label', async () => {
    // ansible-vault → rackplay
    await writeFile(path('c.yml'), PLAINTEXT);
    await ansible(ANSIBLE_VAULT, ['encrypt', '--vault-id', `prod@${path('pw-prod')}`, path('c.yml')], dir);
    expect(await readFile(path('c.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const view = await rackplay('vault', 'view', '--vault-id', `dev@${path('pw-dev')}`, '--vault-id', `prod@${path('pw-prod')}`, path('c.yml'));
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toBe(PLAINTEXT);
    // rackplay → ansible-vault
    await writeFile(path('d.yml'), PLAINTEXT);
    const made = await rackplay('vault', 'encrypt', '--vault-id', `dev@${path('pw-dev')}`, '--vault-id', `prod@${path('pw-prod')}`, '--encrypt-vault-id', 'prod', path('d.yml'));
    expect(made.code, made.stderr).toBe(0);
    expect(await readFile(path('d.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const { stdout } = await ansible(ANSIBLE_VAULT, ['view', '--vault-id', `dev@${path('pw-dev')}`, '--vault-id', `prod@${path('pw-prod')}`, path('d.yml')], dir);
    expect(stdout).toBe(PLAINTEXT);
    // The label alone does not decrypt: Ansible refuses rackplay's file with only the wrong password.
    await expect(ansible(ANSIBLE_VAULT, ['view', '--vault-id', `prod@${path('pw-dev')}`, path('d.yml')], dir)).rejects.toThrow(/Decryption failed/);
  });

  it('rekey output stays readable by ansible-vault', async () => {
    await writeFile(path('e.yml'), PLAINTEXT);
    await ansible(ANSIBLE_VAULT, ['encrypt', '--vault-password-file', path('pw'), path('e.yml')], dir);
    const rekey = await rackplay('vault', 'rekey', '--vault-password-file', path('pw'), '--new-vault-id', `prod@${path('pw-prod')}`, path('e.yml'));
    expect(rekey.code, rekey.stderr).toBe(0);
    const { stdout } = await ansible(ANSIBLE_VAULT, ['view', '--vault-id', `prod@${path('pw-prod')}`, path('e.yml')], dir);
    expect(stdout).toBe(PLAINTEXT);
  });
});
