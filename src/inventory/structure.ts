import { ALL } from './model.js';
import type { Inventory, InventoryGroup } from './model.js';

/** Lookups derived from an inventory's children graph, computed once per inventory. */
export interface InventoryStructure {
  /** Groups in Ansible's variable order: by depth below 'all', then ansible_group_priority, then name. */
  readonly groupOrder: ReadonlyMap<string, number>;
  /** Every group a host belongs to, directly or through a child group ('all' excluded). */
  groupsOfHost(host: string): ReadonlySet<string>;
  /** Every host of a group, directly or through its child groups, in Ansible's order (Group.get_hosts). */
  hostsOfGroup(group: string): readonly string[];
}

const cache = new WeakMap<Inventory, InventoryStructure>();

export function structureOf(inventory: Inventory): InventoryStructure {
  let structure = cache.get(inventory);
  if (structure === undefined) {
    structure = buildStructure(inventory);
    cache.set(inventory, structure);
  }
  return structure;
}

function buildStructure(inventory: Inventory): InventoryStructure {
  const parents = new Map<string, string[]>();
  for (const group of inventory.groups.values()) {
    for (const child of group.children) parents.set(child, [...(parents.get(child) ?? []), group.name]);
  }
  const depths = groupDepths(inventory, parents);
  const sorted = [...inventory.groups.values()].sort((a, b) => compareGroups(a, b, depths));
  const groupOrder = new Map(sorted.map((group, index) => [group.name, index]));
  const hostGroups = new Map<string, Set<string>>();
  const groupHosts = new Map<string, string[]>();

  const ancestorsOf = (group: string, found = new Set<string>()): Set<string> => {
    for (const parent of parents.get(group) ?? []) {
      if (parent !== ALL && !found.has(parent)) ancestorsOf(parent, found.add(parent));
    }
    return found;
  };

  return {
    groupOrder,
    groupsOfHost(host) {
      let groups = hostGroups.get(host);
      if (groups === undefined) {
        groups = new Set();
        for (const group of inventory.groups.values()) {
          if (group.name === ALL || !group.hosts.has(host)) continue;
          groups.add(group.name);
          for (const ancestor of ancestorsOf(group.name)) groups.add(ancestor);
        }
        hostGroups.set(host, groups);
      }
      return groups;
    },
    hostsOfGroup(group) {
      let hosts = groupHosts.get(group);
      if (hosts === undefined) {
        const members = new Set<string>();
        for (const descendant of descendantsOf(inventory, group)) for (const host of inventory.groups.get(descendant)!.hosts) members.add(host);
        hosts = [...members];
        groupHosts.set(group, hosts);
      }
      return hosts;
    },
  };
}

/**
 * A group and its descendants in Ansible's order (Group.get_descendants with preserve_ordering): the group,
 * its children in order, then level by level below them. A group's hosts are its own, then its descendants'
 * in that order: `replication_servers` lists its own section's hosts before those of its child groups.
 */
function descendantsOf(inventory: Inventory, group: string): string[] {
  if (!inventory.groups.has(group)) return [];
  const ordered = [group];
  const seen = new Set(ordered);
  let level = [group];
  while (level.length > 0) {
    const next: string[] = [];
    for (const parent of level) {
      for (const child of inventory.groups.get(parent)?.children ?? []) {
        if (seen.has(child) || !inventory.groups.has(child)) continue;
        seen.add(child);
        ordered.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  return ordered;
}

/** Longest path from 'all', like Ansible's Group.depth: a child always sorts after each of its parents. */
function groupDepths(inventory: Inventory, parents: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const depths = new Map<string, number>([[ALL, 0]]);
  const depthOf = (group: string, visiting: Set<string>): number => {
    const known = depths.get(group);
    if (known !== undefined) return known;
    if (visiting.has(group)) return 0;
    visiting.add(group);
    const depth = 1 + Math.max(0, ...(parents.get(group) ?? []).map((parent) => depthOf(parent, visiting)));
    visiting.delete(group);
    depths.set(group, depth);
    return depth;
  };
  for (const group of inventory.groups.keys()) depthOf(group, new Set());
  return depths;
}

function compareGroups(a: InventoryGroup, b: InventoryGroup, depths: ReadonlyMap<string, number>): number {
  const byDepth = depths.get(a.name)! - depths.get(b.name)!;
  if (byDepth !== 0) return byDepth;
  const byPriority = priorityOf(a) - priorityOf(b);
  if (byPriority !== 0) return byPriority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function priorityOf(group: InventoryGroup): number {
  return group.priority ?? 1;
}
