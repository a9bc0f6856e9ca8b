import { ALL, UNGROUPED } from './model.js';
import type { Inventory } from './model.js';
import { inventoryVariables } from './variables.js';

/**
 * `ansible-inventory --list`'s shape: each group reached from 'all' with its direct `hosts` and `children`
 * (in inventory order; a group with neither is left out, but still named by its parents), and
 * `_meta.hostvars` with every host's merged inventory variables (hosts without any left out).
 */
export function inventoryList(inventory: Inventory): Record<string, unknown> {
  const listing: Record<string, unknown> = {};
  const seen = new Set<string>();
  const visit = (name: string): void => {
    seen.add(name);
    const group = inventory.groups.get(name);
    if (group === undefined) return;
    const entry: { hosts?: string[]; children?: string[] } = {};
    if (name !== ALL && group.hosts.size > 0) entry.hosts = [...group.hosts];
    const children = childrenOf(inventory, name);
    if (children.length > 0) entry.children = children;
    if (entry.hosts !== undefined || entry.children !== undefined) listing[name] = entry;
    for (const child of children) if (!seen.has(child)) visit(child);
  };
  visit(ALL);
  const hostvars: Record<string, unknown> = {};
  for (const host of inventory.hosts.keys()) {
    const vars = inventoryVariables(inventory, host);
    if (Object.keys(vars).length > 0) hostvars[host] = vars;
  }
  return { _meta: { hostvars }, ...listing };
}

/** `ansible-inventory --graph [GROUP]`: the group tree, `@group:` lines and host names, `--vars` adding `{k = v}` lines. */
export function inventoryGraph(inventory: Inventory, top: string = ALL, withVars = false): string {
  const lines: string[] = [];
  const varLines = (vars: Record<string, unknown>, depth: number): void => {
    if (!withVars) return;
    for (const key of Object.keys(vars).sort()) lines.push(`${indent(depth)}{${key} = ${String(vars[key])}}`);
  };
  const visit = (name: string, depth: number): void => {
    const group = inventory.groups.get(name);
    if (group === undefined) return;
    lines.push(`${depth === 0 ? '' : indent(depth)}@${name}:`);
    for (const child of childrenOf(inventory, name)) visit(child, depth + 1);
    for (const host of name === ALL ? [] : group.hosts) {
      lines.push(`${indent(depth + 1)}${host}`);
      varLines(inventoryVariables(inventory, host), depth + 2);
    }
    varLines({ ...group.vars, ...group.fileVars.inventory, ...group.fileVars.playbook }, depth + 1);
  };
  visit(top, 0);
  return `${lines.join('\n')}\n`;
}

function indent(depth: number): string {
  return `  ${'|  '.repeat(depth - 1)}|--`;
}

/** A group's child groups; 'all' lists 'ungrouped' first, as Ansible creates it first. */
function childrenOf(inventory: Inventory, name: string): string[] {
  const children = [...(inventory.groups.get(name)?.children ?? [])];
  if (name !== ALL) return children;
  return [UNGROUPED, ...children.filter((child) => child !== UNGROUPED)];
}
