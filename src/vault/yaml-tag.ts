import type { ScalarTag } from 'yaml';
import { RackplayError } from '../errors.js';
import { decryptWhileLoading } from './session.js';

/**
 * The `!vault` tag of Ansible: a scalar holding vault text, decrypted as the YAML is read, so it
 * may stand wherever a value may. The yaml library reports a failure with its position only as a
 * message; the coded error is kept in `failures`, in document order, for the caller to pair up.
 */
export function vaultTag(file: string, failures: RackplayError[]): ScalarTag {
  return {
    tag: '!vault',
    resolve(text, onError) {
      try {
        return decryptWhileLoading(text, `a !vault value in ${file}`, 'value');
      } catch (error) {
        if (!(error instanceof RackplayError)) throw error;
        failures.push(error);
        onError(error.message);
        return '';
      }
    },
  };
}
