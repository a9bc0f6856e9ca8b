import { configValues, parseConfig, unquote } from './parse.js';
import type { ConfigLine } from './parse.js';

export type ConfigValue = string | number | boolean | readonly (string | number)[];

/** The wanted values of each named key, as lines would hold them: a scalar is one line, a list one line per item. */
export function wantedValues(config: Readonly<Record<string, ConfigValue>> | undefined): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  for (const [key, value] of Object.entries(config ?? {})) {
    const list = Array.isArray(value) ? (value as readonly (string | number)[]) : [value as string | number | boolean];
    wanted.set(
      key,
      list.map((item) => (item === true ? '1' : item === false ? '0' : String(item).trim())),
    );
  }
  return wanted;
}

/** True when `prefix` covers `key` by whole dotted parts (lxc.net.1 covers lxc.net.1.link, not lxc.net.10.link). */
export function coveredBy(key: string, prefix: string): boolean {
  if (prefix.endsWith('.')) return key.startsWith(prefix);
  return key === prefix || key.startsWith(`${prefix}.`);
}

function sameValues(current: readonly string[], wanted: readonly string[]): boolean {
  return current.length === wanted.length && current.every((value, index) => value === wanted[index]);
}

/** Where a key not in the file goes: after the last line of its longest shared group (lxc.net.0.…), else at the end. */
function insertionIndex(lines: readonly ConfigLine[], key: string): number {
  const parts = key.split('.');
  for (let length = parts.length - 1; length >= 2; length--) {
    const group = `${parts.slice(0, length).join('.')}.`;
    for (let index = lines.length - 1; index >= 0; index--) if (lines[index]!.key?.startsWith(group) === true) return index + 1;
  }
  return lines.length;
}

/**
 * The config file with every named key's lines REPLACED by its wanted values (at the first line it had; a new key
 * after its group), other lines under a purge prefix removed, and every other line (comments included) untouched.
 * A key whose values already match, quotes aside, keeps its lines as written: the second run changes nothing.
 */
export function editConfig(text: string, wanted: ReadonlyMap<string, readonly string[]>, purgePrefixes: readonly string[] = []): string {
  let lines: ConfigLine[] = parseConfig(text).filter(
    (line) => line.key === undefined || wanted.has(line.key) || !purgePrefixes.some((prefix) => coveredBy(line.key!, prefix)),
  );
  for (const [key, values] of wanted) {
    if (sameValues(configValues(lines, key), values)) continue;
    const replacement: ConfigLine[] = values.map((value) => ({ text: `${key} = ${value}`, key, value }));
    const first = lines.findIndex((line) => line.key === key);
    const at = first >= 0 ? first : insertionIndex(lines, key);
    const kept = lines.filter((line, index) => line.key !== key || index < at);
    const before = kept.slice(0, at);
    lines = [...before, ...replacement, ...kept.slice(at)];
  }
  if (lines.length === 0) return '';
  const edited = `${lines.map((line) => line.text).join('\n')}\n`;
  // A file that changed nothing keeps its exact bytes (a missing final newline included).
  return edited === `${text}\n` ? text : edited;
}

/** The values the named keys hold in a config text, shaped like the params: a list for a list, else one string (null when unset). */
export function namedValues(text: string, config: Readonly<Record<string, ConfigValue>> | undefined): Record<string, string | string[] | null> {
  const lines = parseConfig(text);
  const result: Record<string, string | string[] | null> = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    const values = configValues(lines, key);
    result[key] = Array.isArray(value) ? values : (values.at(-1) ?? null);
  }
  return result;
}

/** The rootfs folder of a dir-backed container from lxc.rootfs.path ("dir:/path" or "/path"); undefined for other stores. */
export function rootfsDirectory(text: string): string | undefined {
  const value = configValues(parseConfig(text), 'lxc.rootfs.path').at(-1);
  if (value === undefined) return undefined;
  const path = unquote(value);
  if (path.startsWith('dir:')) return path.slice('dir:'.length);
  return path.startsWith('/') ? path : undefined;
}
