import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { RackplayError } from '../errors.js';
import { isMapping } from '../load/values.js';
import { readSourceText } from '../load/source-text.js';
import { locate, parseYamlSource } from '../load/yaml-source.js';
import { rememberVaultedData } from '../vault/session.js';

// Ansible's find_vars_files: the bare name first (so a folder wins), then these extensions.
const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/**
 * The vars files for one group or host in a group_vars/ or host_vars/ folder, in the order they
 * apply. Like Ansible only the first match counts: `web/` (every file inside, sorted, recursively),
 * else `web`, `web.yml`, `web.yaml`, `web.json`.
 */
export async function varsFilesFor(folder: string, entries: ReadonlySet<string>, name: string): Promise<string[]> {
  for (const extension of EXTENSIONS) {
    if (!entries.has(name + extension)) continue;
    const path = join(folder, name + extension);
    return (await stat(path)).isDirectory() ? filesInside(path) : [path];
  }
  return [];
}

async function filesInside(folder: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await filesInside(path)));
    else if (EXTENSIONS.includes(extname(entry.name))) files.push(path);
  }
  return files;
}

/** Reads one group_vars/host_vars file: a YAML or JSON mapping, or empty. */
export async function readVarsFile(file: string, problems: RackplayError[]): Promise<Record<string, unknown>> {
  const { text, problem } = await readSourceText(file);
  if (text === undefined) {
    if (problem !== undefined) problems.push(problem);
    return {};
  }
  const { source, problems: yamlProblems } = parseYamlSource(file, text);
  problems.push(...yamlProblems);
  if (yamlProblems.length > 0 || source.data === null || source.data === undefined) return {};
  if (isMapping(source.data)) {
    if (source.vaulted === true) rememberVaultedData(source.data);
    return source.data;
  }
  problems.push(new RackplayError('E_INVENTORY', 'a group_vars/host_vars file must hold a mapping of variables', locate(source, [])));
  return {};
}
