import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InventoryBuilder } from './builder.js';
import type { FileVars } from './model.js';
import { readVarsFile, varsFilesFor } from './vars-files.js';

/**
 * Reads group_vars/ and host_vars/ from the inventory's folders, then from the playbooks' (a folder that is
 * both counts once, as the inventory's), each into its tier; later folders win within a tier. Only groups
 * and hosts of the inventory are looked up; a file for an unknown name is ignored, as Ansible ignores it.
 */
export async function applyVarsDirs(inventoryFolders: readonly string[], playbookFolders: readonly string[], builder: InventoryBuilder): Promise<void> {
  const inventory = unique(inventoryFolders);
  const seen = new Set(inventory.map((folder) => resolve(folder)));
  const tiers: [readonly string[], keyof FileVars][] = [
    [inventory, 'inventory'],
    [unique(playbookFolders).filter((folder) => !seen.has(resolve(folder))), 'playbook'],
  ];
  for (const [folders, tier] of tiers) {
    for (const folder of folders) {
      await applyFolder(join(folder, 'group_vars'), [...builder.groups.values()], tier, builder);
      await applyFolder(join(folder, 'host_vars'), [...builder.hosts.values()], tier, builder);
    }
  }
}

async function applyFolder(folder: string, entities: readonly { name: string; fileVars: FileVars }[], tier: keyof FileVars, builder: InventoryBuilder): Promise<void> {
  const entries = await listing(folder);
  if (entries.size === 0) return;
  for (const entity of entities) {
    for (const file of await varsFilesFor(folder, entries, entity.name)) Object.assign(entity.fileVars[tier], await readVarsFile(file, builder.problems));
  }
}

async function listing(folder: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(folder));
  } catch {
    return new Set();
  }
}

/** Each folder once (the playbook often sits beside the inventory), keeping the path as given for messages. */
function unique(folders: readonly string[]): string[] {
  const seen = new Set<string>();
  return folders.filter((folder) => !seen.has(resolve(folder)) && seen.add(resolve(folder)));
}
