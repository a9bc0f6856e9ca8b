import { RackplayError } from '../errors.js';
import { isVaultText } from './envelope.js';
import { decryptWhileLoading } from './session.js';

/**
 * A file read while loading, decrypted when it is a whole vault file (vars_files, group_vars,
 * include_vars, -e @file…). Positions of later problems then point into the plaintext, as the
 * file's lines are the plaintext's lines once decrypted. The plaintext never touches the disk.
 */
export function openVaultedText(file: string, text: string): { text: string; vaulted: boolean; problem?: RackplayError } {
  if (!isVaultText(text)) return { text, vaulted: false };
  try {
    return { text: decryptWhileLoading(text, file, 'file'), vaulted: true };
  } catch (error) {
    if (!(error instanceof RackplayError)) throw error;
    return { text: '', vaulted: true, problem: new RackplayError(error.code, error.message, { file, line: 1, col: 1 }) };
  }
}
