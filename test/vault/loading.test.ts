import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { inlineVault, vaultText } from './fixtures.js';

const PASSWORD = 'rack-vault-pw';

describe('vaulted data is decrypted wherever it is loaded', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let files: Record<string, string>;
  const path = (name: string) => join(dir, name);
  beforeAll(async () => {
    ({ path: dir, cleanup } = await tempDir('rackplay-vault-load-'));
    files = await writeFiles(dir, {
      pw: `${PASSWORD}\n`,
      'inventory/hosts.yml': `all:\n  hosts:\n    node1:\n      ansible_connection: local\n      inline_host_secret: ${inlineVault('from-inventory', PASSWORD, 6)}\n`,
      'inventory/group_vars/all.yml': vaultText('group_secret: from-group-vars\n', PASSWORD),
      'inventory/host_vars/node1/vault.yml': vaultText('host_secret: from-host-vars-dir\n', PASSWORD),
      'vars/vaulted.yml': vaultText('file_secret: from-vars-files\n', PASSWORD),
      'vars/included.yml': vaultText('included_secret: from-include-vars\n', PASSWORD),
      'extra.yml': vaultText('extra_secret: from-extra-vars\n', PASSWORD),
      'site.yml': `- hosts: all
  vars_files: [vars/vaulted.yml]
  vars:
    play_secret: ${inlineVault('from-play-vars', PASSWORD, 4)}
  tasks:
    - include_vars: { file: vars/included.yml }
    - copy:
        dest: "{{out}}"
        content: ${inlineVault('{{inline_host_secret}} {{group_secret}} {{host_secret}} {{file_secret}} {{play_secret}} {{included_secret}} {{extra_secret}}', PASSWORD, 8)}
`,
    });
  });
  afterAll(async () => cleanup());

  const run = (...extra: string[]) => rackplay('run', files['site.yml']!, '-i', path('inventory'), '-e', `@${files['extra.yml']}`, '-e', `out=${path('out.txt')}`, ...extra);
  const EXPECTED = 'from-inventory from-group-vars from-host-vars-dir from-vars-files from-play-vars from-include-vars from-extra-vars';

  it('inventory, group_vars, host_vars, vars_files, include_vars, -e @file and inline !vault params', async () => {
    const result = await run('--vault-password-file', files.pw!, '--diff', '--output', 'json');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readFile(path('out.txt'), 'utf8')).toBe(EXPECTED);
    // The diff shows the file's content: every part of it came from a vault, so every part is masked.
    expect(result.stdout).toContain(Array(7).fill('********').join(' '));
    expect(result.stdout).not.toMatch(/from-[a-z]/);
  });

  it('takes the password from RACKPLAY_VAULT_PASSWORD_FILE, an executable, or a *-client script told its id', async () => {
    process.env.RACKPLAY_VAULT_PASSWORD_FILE = files.pw!;
    try {
      expect((await run()).code).toBe(0);
    } finally {
      delete process.env.RACKPLAY_VAULT_PASSWORD_FILE;
    }
    await writeFile(path('pw.sh'), `#!/bin/sh\necho '  ${PASSWORD}  '\n`);
    await chmod(path('pw.sh'), 0o700);
    expect((await run('--vault-password-file', path('pw.sh'))).code).toBe(0);
    // A client script answers for the id it is asked about (Ansible's contract: --vault-id LABEL).
    await writeFile(path('pw-client.sh'), `#!/bin/sh\n[ "$1" = --vault-id ] && [ "$2" = rack ] && echo '${PASSWORD}'\n`);
    await chmod(path('pw-client.sh'), 0o700);
    const client = await run('--vault-id', `rack@${path('pw-client.sh')}`);
    expect(client.code, client.stdout + client.stderr).toBe(0);
    // `--vault-id rack@~/pw`: the shell leaves ~ alone after '@'; rackplay expands it, as Ansible does.
    const home = process.env.HOME;
    process.env.HOME = dir;
    try {
      expect((await run('--vault-id', 'rack@~/pw')).code).toBe(0);
    } finally {
      process.env.HOME = home;
    }
  });

  it('a vaulted role vars file is decrypted, and its values are masked', async () => {
    const role = await writeFiles(dir, {
      'roles/bmc/vars/main.yml': vaultText('role_secret: from-role-vars\n', PASSWORD),
      'roles/bmc/tasks/main.yml': `- copy: { content: "{{role_secret}}", dest: "${path('role.out')}" }\n- debug: { msg: "role says {{role_secret}}" }\n`,
      'role-play.yml': '- hosts: localhost\n  roles: [bmc]\n',
    });
    const result = await rackplay('run', role['role-play.yml']!, '--vault-password-file', files.pw!, '--output', 'json');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readFile(path('role.out'), 'utf8')).toBe('from-role-vars');
    expect(result.stdout).toContain('role says ********');
    expect(result.stdout).not.toContain('from-role-vars');
  });

  it('validate decrypts too, and reports nothing', async () => {
    const result = await rackplay('validate', files['site.yml']!, '-i', path('inventory'), '-e', `@${files['extra.yml']}`, '-e', 'out=x', '--vault-password-file', files.pw!);
    expect(result.code, result.stderr).toBe(0);
  });
});
