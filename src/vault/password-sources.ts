import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { RackplayError } from '../errors.js';
import { DEFAULT_VAULT_ID } from './envelope.js';
import type { VaultSecret } from './keyring.js';
import type { PasswordPrompter } from './prompt.js';

const run = promisify(execFile);

/** Where one password comes from: `--vault-id label@source`, `--vault-password-file`, `--ask-vault-pass`. */
export interface VaultIdentity {
  readonly vaultId: string;
  /** A file, an executable, or `prompt`. */
  readonly source: string;
}

/** The password options of a command line, in the order Ansible applies them. */
export interface VaultPasswordOptions {
  readonly vaultIds: readonly string[];
  readonly passwordFiles: readonly string[];
  readonly askVaultPass: boolean;
  /** RACKPLAY_VAULT_PASSWORD_FILE: the password file used when no option names one. */
  readonly envPasswordFile?: string;
}

/** `label@source`, or a bare source for the default id, as Ansible's --vault-id reads it. */
export function parseVaultId(spec: string): VaultIdentity {
  const at = spec.indexOf('@');
  const identity = at < 0 ? { vaultId: DEFAULT_VAULT_ID, source: spec } : { vaultId: spec.slice(0, at), source: spec.slice(at + 1) };
  if (identity.vaultId === '' || identity.source === '') {
    throw new RackplayError('E_VAULT_NO_SECRET', `--vault-id '${spec}': expected LABEL@SOURCE (a password file, an executable, or 'prompt') or SOURCE`);
  }
  if (/[;\s]/.test(identity.vaultId)) throw new RackplayError('E_VAULT_NO_SECRET', `--vault-id '${spec}': a vault id may not hold ';' or spaces`);
  return identity;
}

export function identitiesFrom(options: VaultPasswordOptions): VaultIdentity[] {
  const identities = options.vaultIds.map(parseVaultId);
  if (options.askVaultPass) identities.push({ vaultId: DEFAULT_VAULT_ID, source: 'prompt' });
  for (const file of options.passwordFiles) identities.push({ vaultId: DEFAULT_VAULT_ID, source: file });
  // A default only: with it added to explicit ids, encrypting would need --encrypt-vault-id every time.
  if (identities.length === 0 && options.envPasswordFile !== undefined && options.envPasswordFile !== '') identities.push({ vaultId: DEFAULT_VAULT_ID, source: options.envPasswordFile });
  return identities;
}

/**
 * Reads every password. `confirm` (for encrypting) asks twice at a prompt, as ansible-vault does.
 * Passwords are stripped of surrounding whitespace, as Ansible strips them; an empty one is refused.
 */
export async function readSecrets(identities: readonly VaultIdentity[], prompt: PasswordPrompter, options: { confirm?: boolean; promptLabel?: string } = {}): Promise<VaultSecret[]> {
  const secrets: VaultSecret[] = [];
  for (const identity of identities) {
    const password = identity.source === 'prompt' ? await askPassword(identity, prompt, options) : await passwordFromFile(identity);
    if (password === '') throw new RackplayError('E_VAULT_PASSWORD', `the vault password from ${describe(identity)} is empty`);
    secrets.push({ vaultId: identity.vaultId, password: Buffer.from(password, 'utf8'), source: identity.source });
  }
  return secrets;
}

async function askPassword(identity: VaultIdentity, prompt: PasswordPrompter, options: { confirm?: boolean; promptLabel?: string }): Promise<string> {
  const label = identity.vaultId === DEFAULT_VAULT_ID ? '' : ` (${identity.vaultId})`;
  const noun = `${options.promptLabel ?? ''}Vault password${label}`;
  const password = (await prompt(`${noun}: `)).trim();
  if (options.confirm === true && (await prompt(`Confirm ${noun}: `)).trim() !== password) {
    throw new RackplayError('E_VAULT_PASSWORD', `the ${noun.toLowerCase()} and its confirmation differ`);
  }
  return password;
}

/**
 * A plain file holds the password; an executable prints it. Like Ansible, an executable named
 * `*-client` (a vault client script) is told which id it should answer for with `--vault-id LABEL`.
 */
async function passwordFromFile(identity: VaultIdentity): Promise<string> {
  // `prod@~/.vault-pass` reaches us unexpanded (the shell expands ~ only at a word's start); Ansible expands it.
  // A bare relative name (`exe@pw.sh`) is a file here, not a command to look up on PATH, as in Ansible.
  const file = resolve(identity.source.startsWith('~/') ? join(homedir(), identity.source.slice(2)) : identity.source);
  try {
    if (await isExecutable(file)) {
      const args = /-client(\.[^.]+)?$/.test(basename(file)) ? ['--vault-id', identity.vaultId] : [];
      const { stdout } = await run(file, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 });
      return stdout.trim();
    }
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if (error instanceof RackplayError) throw error;
    const failure = error as NodeJS.ErrnoException & { code?: string | number; stderr?: string };
    const reason =
      failure.code === 'ENOENT'
        ? 'file not found'
        : typeof failure.code === 'number'
          ? `it exited with ${failure.code}${failure.stderr ? `: ${failure.stderr.trim()}` : ''}`
          : failure.message;
    throw new RackplayError('E_VAULT_PASSWORD', `cannot read the vault password from ${describe(identity)}: ${reason}`);
  }
}

/** Ansible's test too: any execute bit makes the file a script to run rather than read. */
async function isExecutable(file: string): Promise<boolean> {
  const stats = await stat(file);
  return stats.isFile() && (stats.mode & 0o111) !== 0;
}

function describe(identity: VaultIdentity): string {
  const label = identity.vaultId === DEFAULT_VAULT_ID ? '' : ` (vault id '${identity.vaultId}')`;
  return identity.source === 'prompt' ? `the prompt${label}` : `${identity.source}${label}`;
}
