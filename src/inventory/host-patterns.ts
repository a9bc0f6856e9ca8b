import { RackplayError } from '../errors.js';
import type { Inventory } from './model.js';
import { structureOf } from './structure.js';

/**
 * Ansible host patterns: names, groups, globs, `~regex`, subscripts (`web[0]`, `web[1:3]`), joined by
 * ',' or ':' with `&` (and) and `!` (not). Like Ansible, unions are applied first, then intersections,
 * then exclusions, and a pattern made only of `&`/`!` terms starts from 'all'. Unknown names match
 * nothing; 'localhost' matches the implicit localhost. Hosts come back in inventory order.
 */
export function selectHosts(inventory: Inventory, pattern: string | string[]): string[] {
  const terms = splitPattern(pattern);
  const unions = terms.filter((term) => !term.startsWith('&') && !term.startsWith('!'));
  const intersections = terms.filter((term) => term.startsWith('&')).map((term) => term.slice(1));
  const exclusions = terms.filter((term) => term.startsWith('!')).map((term) => term.slice(1));
  if (unions.length === 0 && terms.length > 0) unions.push('all');
  const selected = new Set<string>();
  for (const term of unions) for (const host of matchTerm(inventory, term)) selected.add(host);
  for (const term of intersections) {
    const wanted = new Set(matchTerm(inventory, term));
    for (const host of selected) if (!wanted.has(host)) selected.delete(host);
  }
  for (const term of exclusions) for (const host of matchTerm(inventory, term)) selected.delete(host);
  return inInventoryOrder(inventory, selected);
}

/** Ansible's split_host_pattern: commas if any, else colons outside brackets (so `web[1:3]` and IPv6 stay whole). */
export function splitPattern(pattern: string | readonly string[]): string[] {
  if (typeof pattern !== 'string') return pattern.flatMap((part) => splitPattern(part));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (/^[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(pattern.trim())) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function matchTerm(inventory: Inventory, term: string): string[] {
  const { base, subscript } = splitSubscript(term);
  const hosts = inInventoryOrder(inventory, new Set(enumerate(inventory, base)));
  return subscript === undefined ? hosts : subscript(hosts);
}

function enumerate(inventory: Inventory, pattern: string): string[] {
  if (pattern === 'all' || pattern === '*') return [...inventory.hosts.keys()];
  const matches = matcher(pattern);
  const structure = structureOf(inventory);
  const groups = [...inventory.groups.keys()].filter(matches);
  const hosts = groups.flatMap((group) => structure.hostsOfGroup(group));
  // As in Ansible: host names are tried when no group matched, or when the pattern could match both.
  if (groups.length === 0 || pattern.startsWith('~') || /[.?*[]/.test(pattern)) hosts.push(...[...inventory.hosts.keys()].filter(matches));
  if (hosts.length === 0 && pattern === 'localhost') hosts.push('localhost');
  return hosts;
}

function matcher(pattern: string): (name: string) => boolean {
  if (pattern.startsWith('~')) {
    let regex: RegExp;
    try {
      // Python's re.match, which Ansible uses, anchors at the start only.
      regex = new RegExp(`^(?:${pattern.slice(1)})`);
    } catch (error) {
      throw new RackplayError('E_INVENTORY', `invalid host pattern '${pattern}': ${(error as Error).message}`);
    }
    return (name) => regex.test(name);
  }
  if (!/[*?[]/.test(pattern)) return (name) => name === pattern;
  const regex = globToRegExp(pattern);
  return (name) => regex.test(name);
}

/** fnmatch semantics: `*`, `?`, `[abc]`, `[!abc]`, matched against the whole name. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[' && glob.indexOf(']', index + 2) !== -1) {
      const close = glob.indexOf(']', index + 2);
      let set = glob.slice(index + 1, close).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      else if (set.startsWith('^')) set = `\\${set}`;
      source += `[${set}]`;
      index = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${source})$`, 's');
}

/** `web[0]`, `web[-1]`, `web[1:3]` (inclusive), `web[2:]`; regexes are never subscripted. */
function splitSubscript(term: string): { base: string; subscript?: (hosts: string[]) => string[] } {
  const match = term.startsWith('~') ? null : /^(.+?)\[(?:(-?\d+)|(-?\d*):(-?\d*))\]$/.exec(term);
  if (match === null) return { base: term };
  const [, base, index, start, end] = match;
  if (index !== undefined) {
    const at = Number(index);
    return { base: base!, subscript: (hosts) => (hosts.at(at) === undefined ? [] : [hosts.at(at)!]) };
  }
  const from = start === '' ? 0 : Number(start);
  const to = end === '' ? -1 : Number(end);
  return { base: base!, subscript: (hosts) => hosts.slice(from, to === -1 ? hosts.length : to + 1) };
}

function inInventoryOrder(inventory: Inventory, hosts: ReadonlySet<string>): string[] {
  const known = [...inventory.hosts.keys()].filter((host) => hosts.has(host));
  // Only the implicit localhost can be selected without being in the inventory.
  return hosts.has('localhost') && !inventory.hosts.has('localhost') ? [...known, 'localhost'] : known;
}
