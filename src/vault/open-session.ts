import { RackplayError } from '../errors.js';
import { VaultKeyring } from './keyring.js';
import { identitiesFrom, readSecrets } from './password-sources.js';
import type { VaultPasswordOptions } from './password-sources.js';
import { terminalPrompter } from './prompt.js';
import type { PasswordPrompter } from './prompt.js';
import { VaultSession } from './session.js';

/**
 * The vault session of a run or validate: every password is read before loading starts, as
 * ansible-playbook does. A password that cannot be read is returned as the error to report.
 */
export async function openVaultSession(options: VaultPasswordOptions, prompt: PasswordPrompter = terminalPrompter()): Promise<VaultSession | RackplayError> {
  try {
    return new VaultSession(new VaultKeyring(await readSecrets(identitiesFrom(options), prompt)));
  } catch (error) {
    if (error instanceof RackplayError) return error;
    throw error;
  }
}
