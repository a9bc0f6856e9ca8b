import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InventoryBuilder } from './builder.js';
import { readVarsFile, varsFilesFor } from './vars-files.js';

/**
 * Applies group_vars/ and host_vars/ from each folder, in order, so later folders win: the
 * inventory's folders come first, the playbook's last, as in Ansible. Only groups and hosts of
 * the inventory are looked up; a file for an unknown name is ignored, as Ansible ignores it.
 */
export async function applyVarsDirs(folders: readonly string[], builder: InventoryBuilder): Promise<void> {
  for (const folder of unique(folders)) {
    await applyFolder(join(folder, 'group_vars'), [...builder.groups.values()], builder);
    await applyFolder(join(folder, 'host_vars'), [...builder.hosts.values()], builder);
  }
}

async function applyFolder(folder: string, entities: readonly { name: string; vars: Record<string, unknown> }[], builder: InventoryBuilder): Promise<void> {
  const entries = await listing(folder);
  if (entries.size === 0) return;
  for (const entity of entities) {
    for (const file of await varsFilesFor(folder, entries, entity.name)) Object.assign(entity.vars, await readVarsFile(file, builder.problems));
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
