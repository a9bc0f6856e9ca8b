import { RackplayError, ValidationFailure } from '../errors.js';
import type { InventoryBuilder } from './builder.js';
import { groupCycleProblems } from './group-cycles.js';
import { ALL, UNGROUPED } from './model.js';
import type { Inventory } from './model.js';

/**
 * Completes the inventory the way Ansible's reconcile_inventory does: top-level groups become
 * children of 'all', hosts with no other group land in 'ungrouped'. Throws every problem at once.
 */
export function finalizeInventory(builder: InventoryBuilder, implicitLocalhost: boolean): Inventory {
  for (const [group, position] of builder.varsOnlyGroups) {
    builder.problems.push(new RackplayError('E_INVENTORY', `section [${group}:vars] is for group '${group}', which is never defined`, position));
  }
  attachTopLevelGroups(builder);
  builder.problems.push(...groupCycleProblems(builder));
  if (builder.problems.length > 0) throw new ValidationFailure(sortedByPosition(builder.problems));
  reconcileUngrouped(builder);
  return { hosts: builder.hosts, groups: builder.groups, implicitLocalhost };
}

function attachTopLevelGroups(builder: InventoryBuilder): void {
  const hasParent = new Set(builder.edges.map((edge) => edge.child));
  const all = builder.groups.get(ALL)!;
  for (const group of builder.groups.keys()) if (group !== ALL && !hasParent.has(group)) all.children.add(group);
}

function reconcileUngrouped(builder: InventoryBuilder): void {
  const grouped = new Set<string>();
  for (const group of builder.groups.values()) if (group.name !== ALL && group.name !== UNGROUPED) for (const host of group.hosts) grouped.add(host);
  const ungrouped = builder.groups.get(UNGROUPED)!;
  for (const host of builder.hosts.keys()) {
    if (grouped.has(host)) ungrouped.hosts.delete(host);
    else ungrouped.hosts.add(host);
  }
}

function sortedByPosition(problems: readonly RackplayError[]): RackplayError[] {
  const key = (problem: RackplayError): [string, number, number] => [problem.position?.file ?? '', problem.position?.line ?? 0, problem.position?.col ?? 0];
  return [...problems].sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa !== fb ? (fa < fb ? -1 : 1) : la !== lb ? la - lb : ca - cb;
  });
}
