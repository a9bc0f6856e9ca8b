import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes files (playbooks, inventories, vars) into a folder; returns their absolute paths by name. */
export async function writeFiles(root: string, files: Record<string, string>): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    paths[name] = path;
  }
  return paths;
}

/** An inventory of hosts that all run on the local connection: many "hosts" without SSH. */
export function localInventory(groups: Record<string, string[]>, hostVars: Record<string, Record<string, unknown>> = {}): string {
  const lines: string[] = [];
  for (const [group, hosts] of Object.entries(groups)) {
    lines.push(`[${group}]`);
    for (const host of hosts) {
      const vars = Object.entries({ ansible_connection: 'local', ...hostVars[host] }).map(([k, v]) => `${k}=${typeof v === 'string' ? v : iniLiteral(v)}`);
      lines.push(`${host} ${vars.join(' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A value as an INI host line must spell it for Ansible: a Python literal (True, None, ['x']), inside double
 * quotes so that shlex keeps it one word with its inner quotes.
 */
function iniLiteral(value: unknown): string {
  const python = (item: unknown): string => {
    if (item === null || item === undefined) return 'None';
    if (typeof item === 'boolean') return item ? 'True' : 'False';
    if (typeof item === 'number') return String(item);
    if (typeof item === 'string') return JSON.stringify(item);
    if (Array.isArray(item)) return `[${item.map(python).join(', ')}]`;
    return `{${Object.entries(item as Record<string, unknown>).map(([key, entry]) => `${JSON.stringify(key)}: ${python(entry)}`).join(', ')}}`;
  };
  return `"${python(value).replace(/["\\]/g, '\\$&')}"`;
}
