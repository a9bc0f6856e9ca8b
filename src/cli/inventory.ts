import { parseArgs } from 'node:util';
import { ValidationFailure, RackplayError } from '../errors.js';
import { implicitInventory, loadInventory } from '../inventory/index.js';
import type { Inventory } from '../inventory/index.js';
import { inventoryGraph, inventoryList } from '../inventory/listing.js';
import { inventoryVariables } from '../inventory/variables.js';
import { EXIT } from '../run/engine.js';
import { redact } from '../run/secrets.js';
import { openVaultSession } from '../vault/open-session.js';
import { withVaultSession } from '../vault/session.js';
import { INVENTORY_HELP, UsageError } from './args.js';
import type { CliStreams } from './main.js';

/**
 * `rackplay inventory -i SOURCE (--list | --host NAME | --graph [GROUP] [--vars])`, in ansible-inventory's
 * shapes, so a host's merged variables can be seen without a debug playbook. Vault values are masked.
 */
export async function inventoryCommand(argv: readonly string[], streams: CliStreams): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        inventory: { type: 'string', short: 'i', multiple: true },
        list: { type: 'boolean' },
        host: { type: 'string' },
        graph: { type: 'boolean' },
        vars: { type: 'boolean' },
        'vault-id': { type: 'string', multiple: true },
        'vault-password-file': { type: 'string', multiple: true },
        'ask-vault-pass': { type: 'boolean', short: 'J' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    streams.stdout.write(`${INVENTORY_HELP}\n`);
    return EXIT.ok;
  }
  const actions = [values.list, values.host !== undefined, values.graph].filter(Boolean).length;
  if (actions !== 1) throw new UsageError('give exactly one of --list, --host NAME or --graph [GROUP]');
  if (positionals.length > (values.graph === true ? 1 : 0)) throw new UsageError(`unexpected argument '${positionals.at(-1)}'`);
  const vault = await openVaultSession({ vaultIds: values['vault-id'] ?? [], passwordFiles: values['vault-password-file'] ?? [], askVaultPass: values['ask-vault-pass'] ?? false, envPasswordFile: process.env.RACKPLAY_VAULT_PASSWORD_FILE });
  if (vault instanceof RackplayError) {
    streams.stderr.write(`rackplay: ${vault.code} ${vault.message}\n`);
    return EXIT.badOptions;
  }
  let inventory: Inventory;
  try {
    const sources = values.inventory ?? [];
    inventory = await withVaultSession(vault, () => (sources.length === 0 ? implicitInventory() : loadInventory(sources)));
  } catch (error) {
    const problems = error instanceof ValidationFailure ? error.problems : error instanceof RackplayError ? [error] : undefined;
    if (problems === undefined) throw error;
    for (const problem of problems) streams.stderr.write(`${redact(problem.format(), vault.secrets)}\n`);
    return EXIT.invalid;
  }
  const show = (text: string): number => {
    streams.stdout.write(redact(text, vault.secrets));
    return EXIT.ok;
  };
  if (values.list === true) return show(`${JSON.stringify(inventoryList(inventory), null, 4)}\n`);
  if (values.graph === true) {
    const group = positionals[0] ?? 'all';
    if (!inventory.groups.has(group)) throw new UsageError(`no group '${group}' in the inventory`);
    return show(inventoryGraph(inventory, group, values.vars === true));
  }
  const host = values.host!;
  if (!inventory.hosts.has(host)) throw new UsageError(`no host '${host}' in the inventory`);
  return show(`${JSON.stringify(inventoryVariables(inventory, host), null, 4)}\n`);
}
