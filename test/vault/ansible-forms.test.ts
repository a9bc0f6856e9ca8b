import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { rackplay, tempDir } from '../helpers/cli.js';
import { vaultText } from './fixtures.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

const PASSWORD = 'forms-pass';
const check = (variable: string, expected: string) =>
  `- hosts: all\n  gather_facts: false\n  tasks:\n    - assert: { that: ["eq ${variable} '${expected}'"] }\n`;

describe('vault forms Ansible users have', () => {
  it('{"__ansible_vault": …} in a JSON host_vars file and in -e @vars.json is decrypted and masked', async () => {
    const jsonVault = (plaintext: string) => JSON.stringify({ __ansible_vault: vaultText(plaintext, PASSWORD) });
    mkdirSync(join(dir.path, 'host_vars'));
    writeFileSync(join(dir.path, 'hosts.ini'), 'localhost ansible_connection=local\n');
    writeFileSync(join(dir.path, 'host_vars', 'localhost.json'), `{"db_password": ${jsonVault('s3cret-from-json')}}\n`);
    writeFileSync(join(dir.path, 'extra.json'), `{"api_token": ${jsonVault('tok-from-extra')}}\n`);
    writeFileSync(join(dir.path, 'pw'), `${PASSWORD}\n`);
    writeFileSync(join(dir.path, 'site.yml'), `${check('db_password', 's3cret-from-json')}    - assert: { that: ["eq api_token 'tok-from-extra'"] }\n    - debug: { msg: "{{db_password}} {{api_token}}" }\n`);
    const run = await rackplay('run', join(dir.path, 'site.yml'), '-i', join(dir.path, 'hosts.ini'), '-e', `@${join(dir.path, 'extra.json')}`, '--vault-password-file', join(dir.path, 'pw'), '--output', 'plain');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('"msg": "******** ********"');
    expect(run.stdout).not.toMatch(/s3cret-from-json|tok-from-extra/);
  });

  it('a bare relative name of an executable password script is run from the current folder', () => {
    writeFileSync(join(dir.path, 'pw.sh'), `#!/bin/sh\necho ${PASSWORD}\n`);
    chmodSync(join(dir.path, 'pw.sh'), 0o755);
    writeFileSync(join(dir.path, 'secrets.yml'), vaultText('token: from-script\n', PASSWORD));
    writeFileSync(join(dir.path, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks:\n    - assert: { that: ["eq token 'from-script'"] }\n`);
    const cli = join(packageRoot, 'bin', 'rackplay.js');
    for (const flags of [['--vault-password-file', 'pw.sh'], ['--vault-id', 'exe@pw.sh']]) {
      const out = execFileSync(process.execPath, [cli, 'run', 'site.yml', '--output', 'plain', ...flags], { cwd: dir.path, encoding: 'utf8' });
      expect(out).toMatch(/localhost\s+: ok=1 /);
    }
  });
});
