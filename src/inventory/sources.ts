import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { RackplayError } from '../errors.js';
import { readSourceText } from '../load/source-text.js';
import type { InventoryBuilder } from './builder.js';
import { readIniInventory } from './ini-inventory.js';
import { UNGROUPED } from './model.js';
import { isSerfSource, readSerfInventory } from './serf-source.js';
import { readYamlInventory } from './yaml-inventory.js';

const YAML_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);
// Ansible's INVENTORY_IGNORE_EXTS, minus '.ini': a hosts.ini in an inventory folder is meant to be read.
const IGNORED_EXTENSIONS = new Set(['.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry']);
const IGNORED_NAMES = new Set(['group_vars', 'host_vars']);

/**
 * Reads every -i source into the builder and returns the folders whose group_vars/ and host_vars/
 * belong to the inventory: a file's folder, or the folder itself when the source is a folder.
 * A source that is not a path but holds a comma is Ansible's host list (`-i web1,web2,`).
 */
export async function readSources(sources: readonly string[], builder: InventoryBuilder): Promise<string[]> {
  const varsFolders: string[] = [];
  for (const source of sources) {
    const stats = await statOrUndefined(source);
    if (stats === undefined) {
      if (source.includes(',')) readHostList(source, builder);
      else builder.problems.push(new RackplayError('E_FILE_NOT_FOUND', `inventory source not found: ${source}`, { file: source, line: 1, col: 1 }));
    } else if (stats.isDirectory()) {
      varsFolders.push(source);
      await readFolder(source, builder);
    } else {
      varsFolders.push(dirname(source));
      await readInventoryFile(source, builder);
    }
  }
  return varsFolders;
}

/** Files of an inventory folder in name order, recursing, skipping hidden, backup and vars folders. */
async function readFolder(folder: string, builder: InventoryBuilder): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.endsWith('~') || IGNORED_NAMES.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await readFolder(path, builder);
    else if (!IGNORED_EXTENSIONS.has(extname(entry.name))) await readInventoryFile(path, builder);
  }
}

async function readInventoryFile(file: string, builder: InventoryBuilder): Promise<void> {
  const { text, problem } = await readSourceText(file);
  if (text === undefined) {
    if (problem !== undefined) builder.problems.push(problem);
    return;
  }
  // A YAML file saying `plugin: serf` is a dynamic source: the members of a Serf cluster.
  if (extname(file) !== '.ini' && isSerfSource(text)) await readSerfInventory(file, text, builder);
  else if (YAML_EXTENSIONS.has(extname(file)) || (extname(file) !== '.ini' && looksLikeYaml(text))) readYamlInventory(file, text, builder);
  else readIniInventory(file, text, builder);
}

/**
 * Ansible picks the parser by extension only, so a YAML `hosts` file fails as INI there; rackplay
 * also reads it as YAML when its first line is `---` or a `name:` key, which INI never has.
 */
function looksLikeYaml(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '' && !/^\s*[#;]/.test(line));
  return first !== undefined && (/^---(\s|$)/.test(first) || /^[^\s[=]+:\s*(#.*)?$/.test(first.trimEnd()));
}

function readHostList(source: string, builder: InventoryBuilder): void {
  for (const name of source.split(',').map((part) => part.trim())) if (name !== '') builder.addHostToGroup(UNGROUPED, name);
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}
