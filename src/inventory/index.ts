import { InventoryBuilder } from './builder.js';
import { finalizeInventory } from './finalize.js';
import { takeGroupPriorities } from './group-priority.js';
import { UNGROUPED } from './model.js';
import type { Inventory } from './model.js';
import { readSources } from './sources.js';
import { applyVarsDirs } from './vars-dirs.js';

export type { Inventory, InventoryGroup, InventoryHost } from './model.js';
export { selectHosts } from './host-patterns.js';
export { groupsMap, hostVariables, inventoryVariables } from './variables.js';

export interface InventoryOptions {
  /** Folders whose group_vars/ and host_vars/ apply over the inventory's own: the playbooks' folders. */
  readonly varDirs?: readonly string[];
}

/**
 * Loads and merges inventory sources (INI or YAML files, folders of them, or `a,b,` host lists),
 * then group_vars/ and host_vars/ beside each source and in options.varDirs.
 * Throws a ValidationFailure listing every problem with file:line:col.
 */
export async function loadInventory(sources: readonly string[], options: InventoryOptions = {}): Promise<Inventory> {
  const builder = new InventoryBuilder();
  const inventoryFolders = await readSources(sources, builder);
  takeGroupPriorities(builder);
  await applyVarsDirs(inventoryFolders, options.varDirs ?? [], builder);
  return finalizeInventory(builder, false);
}

/** The inventory without -i: only 'localhost', on the local connection, plus the playbooks' group_vars/host_vars. */
export async function implicitInventory(options: InventoryOptions = {}): Promise<Inventory> {
  const builder = new InventoryBuilder();
  builder.addHostToGroup(UNGROUPED, 'localhost', { ansible_connection: 'local' });
  await applyVarsDirs([], options.varDirs ?? [], builder);
  return finalizeInventory(builder, true);
}
