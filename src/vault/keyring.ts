import { RackplayError } from '../errors.js';
import { CipherError, decryptBody, encryptBody } from './cipher.js';
import { DEFAULT_VAULT_ID, formatEnvelope, parseEnvelope } from './envelope.js';
import type { VaultEnvelope } from './envelope.js';

/** One password with its vault id label (`default` when none was given), and where it came from. */
export interface VaultSecret {
  readonly vaultId: string;
  readonly password: Buffer;
  /** For messages: the file, executable or `prompt`. */
  readonly source: string;
}

export const NO_PASSWORD_HINT = 'give one with --vault-password-file FILE, --ask-vault-pass or --vault-id LABEL@SOURCE';

/** The passwords of a run or a vault command; decrypts like Ansible and encrypts with one chosen id. */
export class VaultKeyring {
  constructor(readonly secrets: readonly VaultSecret[]) {}

  /**
   * Decrypts a vault text. As in Ansible, the secrets whose label matches the header's vault id are
   * tried first, then every other one, in the order given. `what` names the file (and place) in messages.
   */
  decrypt(text: string, what: string): { plaintext: Buffer; vaultId: string; envelope: VaultEnvelope } {
    const envelope = parseOrThrow(text, what);
    if (this.secrets.length === 0) {
      throw new RackplayError('E_VAULT_NO_SECRET', `${what} is vault-encrypted (vault id '${envelope.vaultId}') but no vault password was given; ${NO_PASSWORD_HINT}`);
    }
    const matching = this.secrets.filter((secret) => secret.vaultId === envelope.vaultId);
    const others = this.secrets.filter((secret) => secret.vaultId !== envelope.vaultId);
    for (const secret of [...matching, ...others]) {
      try {
        return { plaintext: decryptBody(envelope.body, secret.password), vaultId: secret.vaultId, envelope };
      } catch (error) {
        if (!(error instanceof CipherError)) throw error;
        if (error.reason === 'corrupt') throw new RackplayError('E_VAULT_FORMAT', `${what}: corrupted vault data: ${error.message}`);
      }
    }
    const tried = this.secrets.map((secret) => secret.vaultId).join(', ');
    if (matching.length === 0 && envelope.vaultId !== DEFAULT_VAULT_ID) {
      throw new RackplayError(
        'E_VAULT_NO_SECRET',
        `Decryption failed (HMAC verification failed) on ${what}: it is encrypted for vault id '${envelope.vaultId}', no secret was given for that id, and none of the others (${tried}) opens it`,
      );
    }
    throw new RackplayError('E_VAULT_DECRYPT', `Decryption failed (HMAC verification failed) on ${what}: wrong vault password (vault ids tried: ${tried})`);
  }

  /** The secret to encrypt with: the one labelled `vaultId`, else the only one given. */
  encryptionSecret(vaultId?: string): VaultSecret {
    const labels = this.secrets.map((secret) => secret.vaultId);
    if (vaultId !== undefined) {
      const secret = this.secrets.find((entry) => entry.vaultId === vaultId);
      if (secret === undefined) {
        throw new RackplayError('E_VAULT_NO_SECRET', `vault id '${vaultId}' has no secret (given: ${labels.length > 0 ? labels.join(', ') : 'none'}); add --vault-id ${vaultId}@SOURCE`);
      }
      return secret;
    }
    if (this.secrets.length === 0) throw new RackplayError('E_VAULT_NO_SECRET', `no vault password to encrypt with; ${NO_PASSWORD_HINT}`);
    if (new Set(labels).size > 1) {
      throw new RackplayError('E_VAULT_NO_SECRET', `several vault ids are available to encrypt with (${labels.join(', ')}); choose one with --encrypt-vault-id`);
    }
    return this.secrets[0]!;
  }

  /** The vault text of `plaintext`: a 1.1 header for the default id, 1.2 with the label otherwise. */
  encrypt(plaintext: Buffer, vaultId?: string): string {
    const secret = this.encryptionSecret(vaultId);
    return formatEnvelope(encryptBody(plaintext, secret.password), secret.vaultId);
  }
}

function parseOrThrow(text: string, what: string): VaultEnvelope {
  try {
    return parseEnvelope(text);
  } catch (error) {
    if (error instanceof CipherError) throw new RackplayError('E_VAULT_FORMAT', `${what} is not valid vault data: ${error.message}`);
    throw error;
  }
}
