import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Change, FileDiff, Plan } from '../../src/module/contract.js';
import { attributeChanges, attributeDiff, differingAttributes, replacementOwnership } from '../file/attributes.js';
import type { WantedAttributes } from '../file/attributes.js';
import { backupChange } from '../file/backup.js';
import { normalizeMode } from '../file/parse.js';
import type { PathState } from '../file/parse.js';
import { ensureAbsent, ensurePresent } from './edit.js';
import type { Edited, LineOptions } from './edit.js';
import { fromByteString } from './regex.js';

export interface LineinfileParams extends LineOptions, WantedAttributes {
  readonly path?: string;
  readonly dest?: string;
  readonly name?: string;
  readonly state?: 'present' | 'absent';
  readonly create?: boolean;
  readonly backup?: boolean;
}

/** `path` has the aliases `dest` and `name`, as in Ansible. */
export function linePath(params: LineinfileParams): string {
  const path = params.path ?? params.dest ?? params.name;
  if (path === undefined) throw new Error('lineinfile: one of path, dest or name is required');
  return path;
}

export function planLineinfile(params: LineinfileParams, target: PathState): Plan {
  const path = linePath(params);
  const invalid = invalidCombination(params);
  if (invalid !== undefined) return failed(invalid, path);
  if (target.resolved?.type === 'directory') return failed(`Path ${path} is a directory !`, path);

  const absent = params.state === 'absent';
  if (!target.exists) {
    if (absent) return { changes: [], result: { path, found: 0 }, noopReason: 'file not present' };
    if (!params.create) return failed(`Destination ${path} does not exist !`, path);
  }
  const before = target.content ?? Buffer.alloc(0);
  const edited: Edited = (absent ? ensureAbsent : ensurePresent)(before.toString('latin1'), params);
  const result = { path, msg: edited.msg, ...(absent ? { found: edited.found } : {}) };
  const current = target.resolved;
  const names = differingAttributes(params, current);
  if (!edited.changed) {
    // A file that was never created (backrefs without a match) has no attributes to set.
    if (!target.exists) return { changes: [], result, noopReason: 'no line to add' };
    if (names.length === 0) return { changes: [], result, noopReason: absent ? 'no line matched' : 'line is present' };
    return { changes: attributeChanges(path, params, names), diff: attributeDiff(path, params, current, names), result };
  }

  const after = fromByteString(edited.content);
  // A symlink stays a symlink: the file it points at is the one edited.
  const writePath = target.realPath ?? path;
  const changes: Change[] = [];
  if (!target.exists && target.parentExists === false) {
    changes.push({ kind: 'command', argv: ['mkdir', '-p', '--', posix.dirname(writePath)], description: `create directory ${posix.dirname(writePath)}` });
  }
  if (params.backup && target.exists) changes.push(backupChange(writePath));
  changes.push({
    kind: 'put',
    path: writePath,
    content: after,
    mode: params.mode === undefined ? undefined : normalizeMode(params.mode),
    ...replacementOwnership(params, target),
    // Another writer between this read and the write makes the engine read and plan again.
    expectedSha256: target.exists ? createHash('sha256').update(before).digest('hex') : null,
    description: `${edited.msg} in ${path}`,
  });
  const diffs: FileDiff[] = [{ path, before: before.toString('utf8'), after: after.toString('utf8') }];
  if (target.exists && names.length > 0) diffs.push(attributeDiff(path, params, current, names));
  return { changes, diff: diffs.length === 1 ? diffs[0] : diffs, result };
}

/** Ansible's own checks, for plans made from params that skipped schema validation. */
function invalidCombination(params: LineinfileParams): string | undefined {
  if (params.regexp !== undefined && params.search_string !== undefined) return 'regexp and search_string are mutually exclusive';
  if (params.insertafter !== undefined && params.insertbefore !== undefined) return 'insertafter and insertbefore are mutually exclusive';
  if (params.state === 'absent') {
    if (params.line === undefined && params.regexp === undefined && params.search_string === undefined) return 'one of line, search_string, or regexp is required with state=absent';
    return undefined;
  }
  if (params.backrefs && params.regexp === undefined) return 'regexp is required with backrefs=true';
  if (params.line === undefined) return 'line is required with state=present';
  return undefined;
}

function failed(message: string, path: string): Plan {
  return { changes: [], failed: message, result: { path } };
}
