import { AsyncLocalStorage } from 'node:async_hooks';
import { RackplayError } from '../errors.js';
import { addSecretForms } from '../run/secret-forms.js';
import { NO_PASSWORD_HINT, VaultKeyring } from './keyring.js';

/**
 * The vault state of one load: the passwords, the plaintexts already decrypted (PBKDF2 is slow on
 * purpose; a file read twice is decrypted once) and every decrypted value, which the run masks.
 */
export class VaultSession {
  /** Every value that came out of a vault, in the forms output may show; becomes the run's secrets. */
  readonly secrets = new Set<string>();
  private readonly decrypted = new Map<string, string>();

  constructor(readonly keyring: VaultKeyring = new VaultKeyring([])) {
    // The vault passwords themselves: a password file's text may turn up in a command's output.
    for (const secret of keyring.secrets) if (secret.password.length > 0) addSecretForms(this.secrets, secret.password.toString('utf8'));
  }

  /** Plaintext of a vault text found while loading; `what` names the file (and place) in messages. */
  decrypt(text: string, what: string): string {
    const cached = this.decrypted.get(text);
    if (cached !== undefined) return cached;
    const plaintext = this.keyring.decrypt(text, what).plaintext.toString('utf8');
    this.decrypted.set(text, plaintext);
    return plaintext;
  }

  /** A value out of a vault is a secret whatever its length. */
  remember(value: string): void {
    addSecretForms(this.secrets, value);
  }
}

// The YAML reader is reached from every load path (playbooks, imports, vars files, include_vars,
// inventories, group_vars, -e @file); the session follows the load's async calls instead of being
// threaded through each of them.
const current = new AsyncLocalStorage<VaultSession>();

/** Runs a load with this session: vault data read inside it is decrypted with its keyring. */
export function withVaultSession<T>(session: VaultSession, load: () => Promise<T>): Promise<T> {
  return current.run(session, load);
}

/**
 * Decrypts vault text met while loading; without a session or a password it is a clear load error.
 * A `value` (a `!vault` scalar) is a secret as a whole. A `file` is not: its lines hold keys and
 * `---`; the vars it defines are remembered one by one by whoever reads it as vars.
 */
export function decryptWhileLoading(text: string, what: string, kind: 'value' | 'file'): string {
  const session = current.getStore();
  if (session === undefined || session.keyring.secrets.length === 0) {
    throw new RackplayError('E_VAULT_NO_SECRET', `${what} is vault-encrypted but no vault password was given; ${NO_PASSWORD_HINT}`);
  }
  const plaintext = session.decrypt(text, what);
  if (kind === 'value') session.remember(plaintext);
  return plaintext;
}

/** Values of a whole vaulted vars file are secrets: strings and numbers (a PIN), not booleans. */
export function rememberVaultedData(data: unknown): void {
  const session = current.getStore();
  if (session !== undefined) visitLeaves(data, (value) => session.remember(value));
}

function visitLeaves(data: unknown, visit: (value: string) => void): void {
  if (typeof data === 'string') visit(data);
  else if (typeof data === 'number' || typeof data === 'bigint') visit(String(data));
  else if (Array.isArray(data)) for (const item of data) visitLeaves(item, visit);
  else if (data !== null && typeof data === 'object') for (const item of Object.values(data)) visitLeaves(item, visit);
}
