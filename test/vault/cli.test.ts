import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultCommand } from '../../src/cli/vault.js';
import type { VaultIo } from '../../src/cli/vault.js';
import { rackplay, tempDir } from '../helpers/cli.js';

const PLAINTEXT = 'bmc_password: S3cr3t-BMC!\n';

/** vaultCommand with a given stdin, prompt answers and editor, output captured. */
async function vault(argv: string[], io: Partial<VaultIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await vaultCommand(
    argv,
    { stdout: { write: (chunk: string | Uint8Array) => ((stdout += Buffer.from(chunk).toString()), true) } as never, stderr: { write: (chunk: string) => ((stderr += chunk), true) } as never },
    { stdin: io.stdin ?? Readable.from([]), prompt: io.prompt ?? (() => Promise.reject(new Error('no prompt expected'))), editor: io.editor },
  );
  return { code, stdout, stderr };
}

/** Folders rackplay's editor left in the temp dir: none may remain after create/edit. */
async function leftoverEditFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('rackplay-vault-') && !name.startsWith('rackplay-vault-cli-'));
}

describe('rackplay vault actions', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const path = (name: string) => join(dir, name);
  const pw = () => ['--vault-password-file', path('pw')];
  beforeAll(async () => {
    ({ path: dir, cleanup } = await tempDir('rackplay-vault-cli-'));
    await writeFile(path('pw'), '  correct horse\n');
    await writeFile(path('pw2'), 'battery staple\n');
  });
  afterAll(async () => cleanup());

  it('encrypt then decrypt in place, keeping the mode; view prints without writing', async () => {
    await writeFile(path('a.yml'), PLAINTEXT, { mode: 0o640 });
    expect((await rackplay('vault', 'encrypt', ...pw(), path('a.yml'))).code).toBe(0);
    const encrypted = await readFile(path('a.yml'), 'utf8');
    expect(encrypted).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect((await stat(path('a.yml'))).mode & 0o777).toBe(0o640);
    const view = await rackplay('vault', 'view', ...pw(), path('a.yml'));
    expect(view.stdout).toBe(PLAINTEXT);
    expect(await readFile(path('a.yml'), 'utf8')).toBe(encrypted);
    expect((await rackplay('vault', 'decrypt', ...pw(), path('a.yml'))).code).toBe(0);
    expect(await readFile(path('a.yml'), 'utf8')).toBe(PLAINTEXT);
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/\.tmp$/));
  });

  it('--output writes elsewhere or to stdout; stdin to stdout without a file', async () => {
    await writeFile(path('b.yml'), PLAINTEXT);
    expect((await rackplay('vault', 'encrypt', ...pw(), '--output', path('b.vault'), path('b.yml'))).code).toBe(0);
    expect(await readFile(path('b.yml'), 'utf8')).toBe(PLAINTEXT);
    expect((await rackplay('vault', 'decrypt', ...pw(), '--output', '-', path('b.vault'))).stdout).toBe(PLAINTEXT);
    const piped = await vault(['encrypt', ...pw()], { stdin: Readable.from([Buffer.from('from stdin')]) });
    expect(piped.stdout).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    const back = await vault(['decrypt', ...pw()], { stdin: Readable.from([Buffer.from(piped.stdout)]) });
    expect(back.stdout).toBe('from stdin');
  });

  it('without any password option, asks twice to encrypt and once to decrypt', async () => {
    const questions: string[] = [];
    const prompt = (question: string) => (questions.push(question), Promise.resolve('typed-pass'));
    await writeFile(path('c.yml'), PLAINTEXT);
    expect((await vault(['encrypt', path('c.yml')], { prompt })).code).toBe(0);
    expect(questions).toEqual(['Vault password: ', 'Confirm Vault password: ']);
    expect((await vault(['view', path('c.yml')], { prompt })).stdout).toBe(PLAINTEXT);
    const mismatch = await vault(['encrypt', path('pw2')], { prompt: (question) => Promise.resolve(question.startsWith('Confirm') ? 'other' : 'typed') });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('E_VAULT_PASSWORD');
    expect(await readFile(path('pw2'), 'utf8')).toBe('battery staple\n');
  });

  it('encrypt_string prints named and bare blocks, and reads stdin with --stdin-name', async () => {
    const named = await rackplay('vault', 'encrypt_string', ...pw(), '--name', 'bmc_password', 'S3cr3t');
    expect(named.stdout).toMatch(/^bmc_password: !vault \|\n( {10}\$ANSIBLE_VAULT;1\.1;AES256\n)( {10}[0-9a-f]{1,80}\n)+$/);
    const bare = await rackplay('vault', 'encrypt_string', ...pw(), 'S3cr3t');
    expect(bare.stdout).toMatch(/^!vault \|\n {10}\$ANSIBLE_VAULT/);
    const fromStdin = await vault(['encrypt_string', ...pw(), '--stdin-name', 'token'], { stdin: Readable.from([Buffer.from('abc')]) });
    expect(fromStdin.stdout).toMatch(/^token: !vault \|\n/);
    const tooMany = await rackplay('vault', 'encrypt_string', ...pw(), '-n', 'a', '-n', 'b', 'only-one');
    expect(tooMany.code).toBe(5);
  });

  it('create and edit go through $EDITOR in a private folder that is gone afterwards', async () => {
    const before = await leftoverEditFolders();
    // The "editor" records where the plaintext lives and its folder's mode, then writes the new text.
    const editor = (text: string) => `sh -c 'stat -c "%a" "$(dirname "$1")" > ${path('seen-mode')}; echo "$1" > ${path('seen-path')}; printf "${text}" > "$1"' editor`;
    expect((await vault(['create', ...pw(), path('new.yml')], { editor: editor('x: 1\\n') })).code).toBe(0);
    expect((await rackplay('vault', 'view', ...pw(), path('new.yml'))).stdout).toBe('x: 1\n');
    expect((await readFile(path('seen-mode'), 'utf8')).trim()).toBe('700');
    const plaintextPath = (await readFile(path('seen-path'), 'utf8')).trim();
    await expect(stat(plaintextPath)).rejects.toThrow(/ENOENT/);
    expect((await vault(['edit', ...pw(), path('new.yml')], { editor: editor('x: 2\\n') })).code).toBe(0);
    expect((await rackplay('vault', 'view', ...pw(), path('new.yml'))).stdout).toBe('x: 2\n');
    const unchanged = await readFile(path('new.yml'), 'utf8');
    expect((await vault(['edit', ...pw(), path('new.yml')], { editor: 'true' })).code).toBe(0);
    expect(await readFile(path('new.yml'), 'utf8')).toBe(unchanged);
    expect(await leftoverEditFolders()).toEqual(before);
    const exists = await vault(['create', ...pw(), path('new.yml')], { editor: 'true' });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('exists already');
  });

  it('a failing editor saves nothing and still removes the plaintext', async () => {
    const before = await leftoverEditFolders();
    const original = await readFile(path('new.yml'), 'utf8');
    const failed = await vault(['edit', ...pw(), path('new.yml')], { editor: `sh -c 'printf "y: 3\\n" > "$1"; exit 3' editor` });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/E_VAULT_EDITOR .*exited with 3/);
    expect(await readFile(path('new.yml'), 'utf8')).toBe(original);
    expect(await leftoverEditFolders()).toEqual(before);
  });

  it('rekey re-encrypts with the new password; the old one no longer opens it', async () => {
    await writeFile(path('r.yml'), PLAINTEXT);
    await rackplay('vault', 'encrypt', ...pw(), path('r.yml'));
    const rekey = await rackplay('vault', 'rekey', ...pw(), '--new-vault-password-file', path('pw2'), path('r.yml'));
    expect(rekey.code, rekey.stderr).toBe(0);
    expect((await rackplay('vault', 'view', '--vault-password-file', path('pw2'), path('r.yml'))).stdout).toBe(PLAINTEXT);
    expect((await rackplay('vault', 'view', ...pw(), path('r.yml'))).code).toBe(1);
  });
});
