import { RackplayError } from '../errors.js';
import type { InventoryBuilder } from './builder.js';
import { ALL } from './model.js';

/**
 * Every loop in the children graph, one problem per loop, placed at the child entry that closes
 * it. Ansible stops at the first; naming each loop lets one edit fix them all.
 */
export function groupCycleProblems(builder: InventoryBuilder): RackplayError[] {
  const problems: RackplayError[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (group: string): void => {
    stack.push(group);
    for (const child of builder.groups.get(group)?.children ?? []) {
      const onStack = stack.indexOf(child);
      if (onStack !== -1) {
        const loop = [...stack.slice(onStack), child];
        const edge = builder.edges.find((candidate) => candidate.parent === group && candidate.child === child);
        problems.push(new RackplayError('E_GROUP_CYCLE', `group cycle: ${loop.join(' -> ')}`, edge?.position));
      } else if (!done.has(child)) {
        visit(child);
      }
    }
    stack.pop();
    done.add(group);
  };
  visit(ALL);
  for (const group of builder.groups.keys()) if (!done.has(group)) visit(group);
  return problems;
}
