import { RackplayError } from '../errors.js';
import type { PlayNode, TaskNode } from './model.js';
import { locate } from './yaml-source.js';

/** Handlers are plain tasks; import_tasks inside handlers is flattened, any other block is an error. */
export function flattenHandlers(node: PlayNode, problems: RackplayError[]): TaskNode[] {
  if (node.kind === 'task') return [node];
  if (node.name.startsWith('import_tasks ')) return node.block.flatMap((inner) => flattenHandlers(inner, problems));
  problems.push(new RackplayError('E_SCHEMA', 'handlers must be tasks, not blocks', locate(node.ref.source, node.ref.path)));
  return [];
}
