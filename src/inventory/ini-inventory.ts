import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import type { InventoryBuilder } from './builder.js';
import { expandHostKey } from './host-key.js';
import { shlexWord, splitIniLine } from './ini-tokens.js';
import { parseIniValue } from './ini-values.js';
import { UNGROUPED } from './model.js';

type SectionKind = 'hosts' | 'vars' | 'children' | 'skip';

// Ansible's section pattern: a group name without ':', ']' or blanks, then an optional :type.
const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** Reads an Ansible INI inventory into the builder; problems are collected, never thrown. */
export function readIniInventory(file: string, text: string, builder: InventoryBuilder): void {
  let group = UNGROUPED;
  let kind: SectionKind = 'hosts';
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const at = (col: number): SourcePosition => ({ file, line: index + 1, col });
    const indent = line.length - line.trimStart().length;
    // A line starting with '[' is a section only when it ends with ']': `[fe80::1]:1022` and
    // `[a:f][0:9].example.org` are host lines, as in Ansible.
    if (trimmed.startsWith('[') && (SECTION.test(trimmed) || trimmed.endsWith(']'))) {
      ({ group, kind } = readSectionHeader(trimmed, at(indent + 1), builder));
      continue;
    }
    if (kind === 'hosts') readHostLine(line, group, at, builder);
    else if (kind === 'vars') readVarLine(trimmed, group, at(indent + 1), builder);
    else if (kind === 'children') readChildLine(trimmed, group, at(indent + 1), builder);
  }
}

function readSectionHeader(header: string, position: SourcePosition, builder: InventoryBuilder): { group: string; kind: SectionKind } {
  const match = SECTION.exec(header);
  if (match === null) {
    builder.problems.push(new RackplayError('E_INVENTORY', `invalid section '${header}': expected [group], [group:vars] or [group:children], without spaces in the name`, position));
    return { group: UNGROUPED, kind: 'skip' };
  }
  const group = match[1]!;
  const kind = match[2] ?? 'hosts';
  if (kind === 'hosts' || kind === 'children') {
    builder.declareGroup(group);
    return { group, kind };
  }
  if (kind === 'vars') {
    builder.varsGroup(group, position);
    return { group, kind };
  }
  builder.problems.push(new RackplayError('E_INVENTORY', `section [${group}:${kind}] has unknown type '${kind}': expected vars or children`, position));
  return { group, kind: 'skip' };
}

function readHostLine(line: string, group: string, at: (col: number) => SourcePosition, builder: InventoryBuilder): void {
  const { tokens, unclosedQuoteCol } = splitIniLine(line);
  if (unclosedQuoteCol !== undefined) {
    builder.problems.push(new RackplayError('E_INVENTORY', 'unclosed quote in host line', at(unclosedQuoteCol)));
    return;
  }
  const [hostToken, ...varTokens] = tokens;
  if (hostToken === undefined) return;
  const vars: Record<string, unknown> = {};
  for (const token of varTokens) {
    // As Ansible: the word loses its shell quoting first, then splits at its first '='.
    const word = shlexWord(token.raw);
    const equals = word.indexOf('=');
    if (equals <= 0) {
      builder.problems.push(new RackplayError('E_INVENTORY', `expected key=value host variable, got '${token.raw}'`, at(token.col)));
      continue;
    }
    vars[word.slice(0, equals)] = parseIniValue(word.slice(equals + 1));
  }
  const expanded = expandHostKey(shlexWord(hostToken.raw), at(hostToken.col), builder.problems);
  for (const { name, port } of expanded) builder.addHostToGroup(group, name, port === undefined ? vars : { ansible_port: port, ...vars });
}

/**
 * A [group:vars] line is split at its first '=' and the value given whole to literal_eval, as Ansible does:
 * `timeout=30 # seconds` is 30 (a Python comment), `banner=ready # set` stays the text with its '#'.
 */
function readVarLine(line: string, group: string, position: SourcePosition, builder: InventoryBuilder): void {
  const equals = line.indexOf('=');
  const key = equals === -1 ? '' : line.slice(0, equals).trim();
  if (key === '') {
    builder.problems.push(new RackplayError('E_INVENTORY', `expected key=value in [${group}:vars], got '${line}'`, position));
    return;
  }
  builder.varsGroup(group, position).vars[key] = parseIniValue(line.slice(equals + 1).trim());
}

function readChildLine(line: string, group: string, position: SourcePosition, builder: InventoryBuilder): void {
  const match = GROUP_NAME.exec(line);
  if (match === null) {
    builder.problems.push(new RackplayError('E_INVENTORY', `invalid group name '${line}' in [${group}:children]`, position));
    return;
  }
  builder.addChild(group, match[1]!, position);
}
