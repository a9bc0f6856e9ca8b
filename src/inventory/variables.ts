import { RackplayError } from '../errors.js';
import { ALL, UNGROUPED } from './model.js';
import type { Inventory } from './model.js';
import { structureOf } from './structure.js';

/**
 * A host's inventory variables, low to high: 'all' < parent groups < child groups (by depth, then
 * ansible_group_priority, then name, like Ansible) < the host's own. Each group's and host's vars
 * already hold its files (group_vars/host_vars) over its inline values. Magic variables come last.
 */
export function hostVariables(inventory: Inventory, host: string): Record<string, unknown> {
  const merged = inventoryVariables(inventory, host);
  if (!inventory.hosts.has(host)) return { ...merged, ...magicVariables(host, []) };
  const groupNames = [...structureOf(inventory).groupsOfHost(host)].filter((group) => group !== UNGROUPED).sort();
  return Object.assign(merged, magicVariables(host, groupNames));
}

/**
 * A host's merged inventory variables without the magic ones (what `ansible-inventory --host` prints), in
 * Ansible's precedence, low to high: every group's inventory values ('all' first, then by depth, priority and
 * name), group_vars/all (the inventory's, then the playbook's), the other groups' group_vars (inventory's
 * tier, then playbook's, each in group order), the host's inventory values, then its host_vars (same tiers).
 * So group_vars/all/ beats an inline [web:vars], as it does in Ansible.
 */
export function inventoryVariables(inventory: Inventory, host: string): Record<string, unknown> {
  const entry = inventory.hosts.get(host);
  const all = inventory.groups.get(ALL);
  if (entry === undefined) {
    // Ansible's implicit localhost: not in any group, but 'all' variables still apply to it.
    if (host !== 'localhost') throw new RackplayError('E_INVENTORY', `host '${host}' is not in the inventory`);
    return { ...all?.vars, ...all?.fileVars.inventory, ...all?.fileVars.playbook, ansible_connection: 'local' };
  }
  const structure = structureOf(inventory);
  const groups = [...structure.groupsOfHost(host)].sort((a, b) => structure.groupOrder.get(a)! - structure.groupOrder.get(b)!).map((name) => inventory.groups.get(name)!);
  const merged: Record<string, unknown> = { ...all?.vars };
  for (const group of groups) Object.assign(merged, group.vars);
  Object.assign(merged, all?.fileVars.inventory, all?.fileVars.playbook);
  for (const group of groups) Object.assign(merged, group.fileVars.inventory);
  for (const group of groups) Object.assign(merged, group.fileVars.playbook);
  return Object.assign(merged, entry.vars, entry.fileVars.inventory, entry.fileVars.playbook);
}

function magicVariables(host: string, groupNames: string[]): Record<string, unknown> {
  return { inventory_hostname: host, inventory_hostname_short: host.split('.')[0], group_names: groupNames };
}

/** The `groups` magic variable: every group's hosts, including those of its child groups, in inventory order. */
export function groupsMap(inventory: Inventory): Record<string, string[]> {
  const structure = structureOf(inventory);
  const map: Record<string, string[]> = { [ALL]: [...inventory.hosts.keys()] };
  for (const group of inventory.groups.keys()) if (group !== ALL) map[group] = [...structure.hostsOfGroup(group)];
  return map;
}
