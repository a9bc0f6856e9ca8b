import type { Change, FileDiff } from '../../src/module/contract.js';
import { normalizeMode } from './parse.js';
import type { Attributes, PathState } from './parse.js';

/** The mode/owner/group a task asks for; unset ones are left as they are. */
export interface WantedAttributes {
  readonly mode?: string | number;
  readonly owner?: string;
  readonly group?: string;
}

type AttributeName = keyof WantedAttributes;

/** The wanted attributes that the current ones do not already satisfy (all of them for a new path). */
export function differingAttributes(wanted: WantedAttributes, current: Attributes | undefined): AttributeName[] {
  const differing: AttributeName[] = [];
  if (wanted.mode !== undefined && (current === undefined || current.mode !== normalizeMode(wanted.mode))) differing.push('mode');
  // An owner may be given by name or by number; either satisfies it.
  if (wanted.owner !== undefined && (current === undefined || ![current.owner, current.uid].includes(wanted.owner))) differing.push('owner');
  if (wanted.group !== undefined && (current === undefined || ![current.group, current.gid].includes(wanted.group))) differing.push('group');
  return differing;
}

export interface AttributeChangeOptions {
  /** chmod -R / chown -R. */
  readonly recurse?: boolean;
  /** chown -h: change a symlink itself rather than what it points at. */
  readonly symlink?: boolean;
}

/** chmod and chown argv changes for the named attributes. */
export function attributeChanges(path: string, wanted: WantedAttributes, names: readonly AttributeName[], options: AttributeChangeOptions = {}): Change[] {
  const changes: Change[] = [];
  const recurse = options.recurse ? ['-R'] : [];
  if (names.includes('mode') && wanted.mode !== undefined && !options.symlink) {
    const mode = normalizeMode(wanted.mode);
    changes.push({ kind: 'command', argv: ['chmod', ...recurse, mode, '--', path], description: `set mode ${mode} on ${path}` });
  }
  const owner = names.includes('owner') ? wanted.owner : undefined;
  const group = names.includes('group') ? wanted.group : undefined;
  if (owner !== undefined || group !== undefined) {
    const spec = `${owner ?? ''}${group === undefined ? '' : `:${group}`}`;
    const flags = [...recurse, ...(options.symlink ? ['-h'] : [])];
    changes.push({ kind: 'command', argv: ['chown', ...flags, spec, '--', path], description: `set owner ${spec} on ${path}` });
  }
  return changes;
}

/** `mode: 0644` → `mode: 0600` lines for the attributes that change. */
export function attributeDiffLines(wanted: WantedAttributes, current: Attributes | undefined, names: readonly AttributeName[]): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  for (const name of names) {
    const value = wanted[name];
    if (value === undefined) continue;
    if (current !== undefined) before.push(`${name}: ${current[name]}`);
    after.push(`${name}: ${name === 'mode' ? normalizeMode(value) : value}`);
  }
  return { before, after };
}

/** A diff of attributes alone, for a file whose content stays the same. */
export function attributeDiff(path: string, wanted: WantedAttributes, current: Attributes | undefined, names: readonly AttributeName[]): FileDiff {
  const { before, after } = attributeDiffLines(wanted, current, names);
  return { path, before: joinLines(before), after: joinLines(after) };
}

export function joinLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * A replaced file is written as whoever connects. Root hands it back to its previous owner, as Ansible
 * does; anyone else could not, so the file simply becomes theirs.
 */
export function replacementOwnership(wanted: WantedAttributes, target: PathState): { owner?: string; group?: string } {
  const keep = target.runningUid === '0' && target.resolved?.type === 'file' ? target.resolved : undefined;
  return { owner: wanted.owner ?? keep?.uid, group: wanted.group ?? keep?.gid };
}
