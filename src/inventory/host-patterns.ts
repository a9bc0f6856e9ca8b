import { RackplayError } from '../errors.js';
import type { Inventory } from './model.js';
import { structureOf } from './structure.js';

/**
 * Ansible host patterns: names, groups, globs, `~regex`, subscripts (`web[0]`, `web[1:3]`, the old `web[0-1]`),
 * joined by ',' or ':' with `&` (and) and `!` (not), evaluated as Ansible's InventoryManager does: unions first
 * in the order written (`dbservers:webservers` lists dbservers' hosts first), then intersections, then
 * exclusions; a pattern of only `&`/`!` terms starts from 'all'. A group's hosts come in Ansible's order (its
 * own, then its descendants'). Unknown names match nothing; 'localhost' matches the implicit localhost.
 */
export function selectHosts(inventory: Inventory, pattern: string | string[]): string[] {
  const terms = splitPattern(pattern);
  const unions = terms.filter((term) => !term.startsWith('&') && !term.startsWith('!'));
  const intersections = terms.filter((term) => term.startsWith('&'));
  const exclusions = terms.filter((term) => term.startsWith('!'));
  if (unions.length === 0) unions.push('all');
  let selected: string[] = [];
  for (const term of [...unions, ...intersections, ...exclusions]) {
    // A plain host name is taken as it is, before any group or glob.
    if (inventory.hosts.has(term)) {
      selected.push(term);
      continue;
    }
    const matched = matchTerm(inventory, term.startsWith('&') || term.startsWith('!') ? term.slice(1) : term);
    if (term.startsWith('!')) {
      const excluded = new Set(matched);
      selected = selected.filter((host) => !excluded.has(host));
    } else if (term.startsWith('&')) {
      const wanted = new Set(matched);
      selected = selected.filter((host) => wanted.has(host));
    } else {
      const already = new Set(selected);
      selected.push(...matched.filter((host) => !already.has(host)));
    }
  }
  return [...new Set(selected)];
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
  const hosts = enumerate(inventory, base);
  return subscript === undefined ? hosts : subscript(hosts);
}

/** Ansible's _enumerate_matches: every matching group's hosts (groups in inventory order), then matching hosts. */
function enumerate(inventory: Inventory, pattern: string): string[] {
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

/**
 * Ansible's subscripts: `web[0]`, `web[-1]`, `web[1:3]` (inclusive), `web[2:]`, and `web[0-1]` (the dash form,
 * deprecated but still read by 2.14). An end of 0 counts as none there, so `web[0:0]` is `web[0]`. An index
 * past the end selects nothing (Ansible stops with an error). Regexes are never subscripted.
 */
function splitSubscript(term: string): { base: string; subscript?: (hosts: string[]) => string[] } {
  const match = term.startsWith('~') ? null : /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s.exec(term);
  if (match === null) return { base: term };
  const [, base, index, start, , end] = match;
  const single = (at: number) => (hosts: string[]) => (hosts.at(at) === undefined || at >= hosts.length ? [] : [hosts.at(at)!]);
  if (index !== undefined) return { base: base!, subscript: single(Number(index)) };
  const from = Number(start);
  const to = end === '' ? -1 : Number(end);
  if (to === 0) return { base: base!, subscript: single(from) };
  return { base: base!, subscript: (hosts) => hosts.slice(from, to === -1 ? hosts.length : to + 1) };
}
