import type { InventoryBuilder } from './builder.js';

/**
 * Ansible's Group.set_variable keeps ansible_group_priority as the group's priority, not as a variable, when the
 * inventory itself sets it ([g:vars], a YAML group's vars). From group_vars/ files (a vars plugin) it stays a
 * variable and orders nothing, and on a host it is an ordinary host variable: measured with ansible-inventory 2.14.
 * So this runs after the sources are read and before group_vars/ are applied.
 */
export function takeGroupPriorities(builder: InventoryBuilder): void {
  for (const group of builder.groups.values()) {
    if (!('ansible_group_priority' in group.vars)) continue;
    const priority = Number(group.vars.ansible_group_priority);
    if (Number.isFinite(priority)) group.priority = Math.trunc(priority);
    delete group.vars.ansible_group_priority;
  }
}

