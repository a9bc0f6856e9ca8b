import { posix } from 'node:path';
import type { Change, FileDiff, Plan } from '../../src/module/contract.js';
import { attributeChanges, attributeDiff, differingAttributes, replacementOwnership } from '../file/attributes.js';
import type { WantedAttributes } from '../file/attributes.js';
import { backupChange } from '../file/backup.js';
import { normalizeMode } from '../file/parse.js';
import type { PathState } from '../file/parse.js';
import type { CopyState } from './gather.js';

/** Bigger files are compared by hash only; their diff says so instead of showing them. */
export const DIFF_CONTENT_LIMIT = 1024 * 1024;

/** What copy and template share once the content is known. */
export interface WriteParams extends WantedAttributes {
  readonly dest: string;
  readonly backup?: boolean;
  readonly force?: boolean;
}

export interface CopyParams extends WriteParams {
  readonly content?: string;
  readonly src?: string;
}

export function planCopy(params: WriteParams, state: CopyState): Plan {
  const { source, target } = state;
  const dest = target.intoDirectory && source.name !== undefined ? posix.join(params.dest, posix.basename(source.name)) : params.dest;
  const result = { dest, checksum: source.sha256, size: source.content.length };
  if (target.resolved?.type === 'directory') {
    return failed(source.name === undefined ? `can not use content with a dir as dest (${dest})` : `${dest} is a directory`, result);
  }
  if (target.exists && params.force === false) return { changes: [], result, noopReason: `${dest} exists and force is false` };

  const current = target.resolved;
  const contentMatches = current?.type === 'file' && target.sha256 === source.sha256;
  const names = differingAttributes(params, current);
  if (contentMatches) {
    if (names.length === 0) return { changes: [], result, noopReason: `${dest} has the wanted content and attributes` };
    return { changes: attributeChanges(dest, params, names), diff: attributeDiff(dest, params, current, names), result };
  }

  const changes: Change[] = [];
  if (!target.exists && target.parentExists === false) changes.push(destinationFolderCheck(posix.dirname(dest)));
  if (params.backup && current?.type === 'file') changes.push(backupChange(dest));
  changes.push({
    kind: 'put',
    path: dest,
    content: source.content,
    mode: params.mode === undefined ? undefined : normalizeMode(params.mode),
    ...replacementOwnership(params, target),
    description: `write ${dest}`,
  });
  const diffs: FileDiff[] = [{ path: dest, before: beforeText(target), after: shownText(source.content) }];
  if (target.exists && names.length > 0) diffs.push(attributeDiff(dest, params, current, names));
  return { changes, diff: diffs.length === 1 ? diffs[0] : diffs, result };
}

/**
 * A missing folder is not a plan failure: under --check an earlier task that creates it has not run,
 * and the prediction should still be "changed". Applied for real, this fails with Ansible's message.
 */
const FOLDER_CHECK_SCRIPT = '[ -d "$1" ] || { printf "Destination directory %s does not exist\\n" "$1" >&2; exit 1; }';

function destinationFolderCheck(folder: string): Change {
  return { kind: 'script', script: FOLDER_CHECK_SCRIPT, args: [folder], description: `check the destination directory ${folder}` };
}

function beforeText(target: PathState): string {
  if (!target.exists || target.resolved?.type !== 'file') return '';
  if (target.content === undefined) return `(${target.resolved.size} bytes, not shown)\n`;
  return shownText(target.content);
}

function shownText(content: Buffer): string {
  if (content.length > DIFF_CONTENT_LIMIT) return `(${content.length} bytes, not shown)\n`;
  if (content.includes(0)) return `(binary content, ${content.length} bytes)\n`;
  return content.toString('utf8');
}

function failed(message: string, result: Record<string, unknown>): Plan {
  return { changes: [], failed: message, result };
}
