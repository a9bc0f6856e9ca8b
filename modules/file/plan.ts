import type { Change, Plan } from '../../src/module/contract.js';
import { attributeChanges, attributeDiffLines, differingAttributes, joinLines } from './attributes.js';
import type { WantedAttributes } from './attributes.js';
import type { PathState } from './parse.js';

export type FileStateName = 'file' | 'directory' | 'absent' | 'link' | 'touch';

export interface FileParams extends WantedAttributes {
  readonly path?: string;
  readonly dest?: string;
  readonly name?: string;
  readonly state?: FileStateName;
  readonly src?: string;
  readonly recurse?: boolean;
  readonly force?: boolean;
}

/** What is at the path now, in the words of the `state` option. */
type PreviousState = 'absent' | 'file' | 'directory' | 'link';

/** `path` has the aliases `dest` and `name`, as in Ansible. */
export function filePath(params: FileParams): string {
  const path = params.path ?? params.dest ?? params.name;
  if (path === undefined) throw new Error('file: one of path, dest or name is required');
  return path;
}

export function planFile(params: FileParams, current: PathState): Plan {
  const path = filePath(params);
  const previous = previousState(current);
  // Ansible: without `state`, a path keeps what it is; a missing one is expected to be a file.
  const wanted = params.state ?? (previous !== 'absent' ? previous : params.recurse ? 'directory' : 'file');
  if (params.src !== undefined && wanted !== 'link') return failed(path, `src option requires state to be 'link'`);
  switch (wanted) {
    case 'absent':
      return planAbsent(path, previous);
    case 'directory':
      return planDirectory(path, params, current, previous);
    case 'file':
      return planExistingFile(path, params, current, previous);
    case 'touch':
      return planTouch(path, params, current, previous);
    case 'link':
      return planLink(path, params, current, previous);
  }
}

function previousState(current: PathState): PreviousState {
  if (!current.exists || current.self === undefined) return 'absent';
  if (current.self.type === 'link') return 'link';
  return current.self.type === 'directory' ? 'directory' : 'file';
}

function planAbsent(path: string, previous: PreviousState): Plan {
  const result = { path, state: 'absent' };
  if (previous === 'absent') return { changes: [], result, noopReason: `${path} is absent` };
  return {
    changes: [{ kind: 'command', argv: ['rm', '-rf', '--', path], description: `remove ${path}` }],
    diff: stateDiff(path, previous, 'absent'),
    result,
  };
}

function planDirectory(path: string, params: FileParams, current: PathState, previous: PreviousState): Plan {
  const result = { path, state: 'directory' };
  if (previous === 'absent') {
    const all = differingAttributes(params, undefined);
    const changes: Change[] = [
      { kind: 'command', argv: ['mkdir', '-p', '--', path], description: `create directory ${path}` },
      ...attributeChanges(path, params, all),
    ];
    return { changes, diff: stateDiff(path, 'absent', 'directory', attributeDiffLines(params, undefined, all)), result };
  }
  // A symlink to a folder is followed, as Ansible's file does by default.
  if (current.resolved?.type !== 'directory') return failed(path, `${path} already exists as a ${previous}`);
  const names = differingAttributes(params, current.resolved);
  if (params.recurse && current.recurseDiffers) {
    const all = differingAttributes(params, undefined);
    const top = attributeDiffLines(params, current.resolved, names);
    return {
      changes: attributeChanges(path, params, all, { recurse: true }),
      diff: stateDiff(path, 'directory', 'directory', { before: [...top.before, 'recurse: some entries differ'], after: [...attributeDiffLines(params, undefined, all).after, 'recurse: all entries match'] }),
      result,
    };
  }
  return attributesOnly(path, params, current, names, 'directory', result);
}

function planExistingFile(path: string, params: FileParams, current: PathState, previous: PreviousState): Plan {
  if (previous === 'absent' || current.resolved === undefined) return failed(path, `file (${path}) is absent, cannot continue; use state=touch to create it`);
  if (current.resolved.type === 'directory') return failed(path, `file (${path}) is a directory, cannot continue`);
  return attributesOnly(path, params, current, differingAttributes(params, current.resolved), 'file', { path, state: 'file' });
}

/** Ansible's touch always reports a change: it updates the times even when nothing else differs. */
function planTouch(path: string, params: FileParams, current: PathState, previous: PreviousState): Plan {
  const names = differingAttributes(params, current.resolved);
  return {
    changes: [{ kind: 'command', argv: ['touch', '--', path], description: `touch ${path}` }, ...attributeChanges(path, params, names)],
    diff: stateDiff(path, previous, 'touch', attributeDiffLines(params, current.resolved, names)),
    result: { path, state: 'touch' },
  };
}

function planLink(path: string, params: FileParams, current: PathState, previous: PreviousState): Plan {
  // An existing link with no src keeps its target; only its owner may change.
  const target = params.src ?? (previous === 'link' ? current.linkTarget : undefined);
  if (target === undefined) return failed(path, 'src is required for creating new symlinks');
  const result = { path, state: 'link', src: target };
  if (previous === 'link' && current.linkTarget === target) {
    const names = differingAttributes({ owner: params.owner, group: params.group }, current.self);
    if (names.length === 0) return { changes: [], result, noopReason: `${path} links to ${target}` };
    return {
      changes: attributeChanges(path, params, names, { symlink: true }),
      diff: stateDiff(path, 'link', 'link', attributeDiffLines(params, current.self, names)),
      result,
    };
  }
  if (previous === 'directory') return failed(path, `refusing to convert from directory to symlink for ${path}`);
  if (previous === 'file' && !params.force) return failed(path, `refusing to convert from file to symlink for ${path}; use force=true to replace it`);
  const names = differingAttributes({ owner: params.owner, group: params.group }, undefined);
  return {
    changes: [
      // -n: replace an existing link to a folder instead of creating the new link inside that folder.
      { kind: 'command', argv: ['ln', '-sfn', '--', target, path], description: `link ${path} to ${target}` },
      ...attributeChanges(path, params, names, { symlink: true }),
    ],
    diff: {
      path,
      before: joinLines([`state: ${previous}`, ...(previous === 'link' ? [`src: ${current.linkTarget ?? ''}`] : [])]),
      after: joinLines(['state: link', `src: ${target}`]),
    },
    result,
  };
}

function attributesOnly(path: string, params: FileParams, current: PathState, names: ReturnType<typeof differingAttributes>, state: string, result: Record<string, unknown>): Plan {
  if (names.length === 0) return { changes: [], result, noopReason: `${path} is a ${state} with the wanted attributes` };
  return {
    changes: attributeChanges(path, params, names),
    diff: stateDiff(path, state, state, attributeDiffLines(params, current.resolved, names)),
    result,
  };
}

function stateDiff(path: string, before: string, after: string, attributes: { before: string[]; after: string[] } = { before: [], after: [] }) {
  return { path, before: joinLines([`state: ${before}`, ...attributes.before]), after: joinLines([`state: ${after}`, ...attributes.after]) };
}

function failed(path: string, message: string): Plan {
  return { changes: [], failed: message, result: { path } };
}
