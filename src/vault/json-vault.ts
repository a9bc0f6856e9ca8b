import { decryptWhileLoading } from './session.js';

/**
 * Ansible's JSON form of a vaulted value, `{"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n…"}`, as
 * `ansible-inventory` and `to_json` write it, in JSON host_vars or `-e @vars.json`: replaced by its
 * plaintext (a secret, as a `!vault` value is). Returns the data with every such object decrypted.
 */
export function decryptJsonVaults(data: unknown, file: string): unknown {
  if (Array.isArray(data)) return data.map((item) => decryptJsonVaults(item, file));
  if (data === null || typeof data !== 'object') return data;
  const entries = Object.entries(data);
  if (entries.length === 1 && entries[0]![0] === '__ansible_vault' && typeof entries[0]![1] === 'string') {
    return decryptWhileLoading(entries[0]![1], `an __ansible_vault value in ${file}`, 'value');
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, decryptJsonVaults(value, file)]));
}
