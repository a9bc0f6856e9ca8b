import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { closest } from '../validate/suggest.js';

/** Where roles are looked for, in order: `roles/` beside the playbook, then the roles path (CLI, then environment). */
export function roleSearchPath(playbookDir: string, rolesPath: readonly string[]): string[] {
  return [join(playbookDir, 'roles'), ...rolesPath.map((dir) => resolve(dir))];
}

export type FoundRole = { readonly root: string; readonly name: string } | { readonly searched: readonly string[]; readonly suggestion?: string };

/**
 * A role by name (a folder in one of the search folders) or by path (a name holding a slash, relative to the
 * playbook's folder), as Ansible resolves it.
 */
export function findRole(name: string, searchPath: readonly string[], playbookDir: string): FoundRole {
  if (name.includes('/')) {
    const root = isAbsolute(name) ? name : resolve(playbookDir, name);
    return isDirectory(root) ? { root, name: basename(root) } : { searched: [root] };
  }
  for (const dir of searchPath) {
    const root = join(dir, name);
    if (isDirectory(root)) return { root, name };
  }
  return { searched: searchPath, suggestion: closest(name, searchPath.flatMap(roleNamesIn)) };
}

function roleNamesIn(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** `main` → main.yml | main.yaml | main; a name with an extension is taken as is. */
export function roleFile(root: string, folder: string, base: string): string | undefined {
  const names = /\.ya?ml$/.test(base) ? [base] : [`${base}.yml`, `${base}.yaml`, base];
  return names.map((name) => join(root, folder, name)).find((path) => existsSync(path) && statSync(path).isFile());
}
