/**
 * Variables read from group_vars/ or host_vars/ files, by tier: those beside the inventory rank below those
 * beside the playbook, and both above every inventory file's own values (Ansible's precedence).
 */
export interface FileVars {
  readonly inventory: Record<string, unknown>;
  readonly playbook: Record<string, unknown>;
}

/** A host of the inventory; `vars` holds its inline variables, `fileVars` its host_vars files'. */
export interface InventoryHost {
  readonly name: string;
  readonly vars: Record<string, unknown>;
  readonly fileVars: FileVars;
}

/**
 * A group: `hosts` are its direct members (for 'all': every host), `children` its direct child groups.
 * `vars` holds its [g:vars] / YAML vars, `fileVars` its group_vars files'.
 */
export interface InventoryGroup {
  readonly name: string;
  readonly hosts: Set<string>;
  readonly children: Set<string>;
  readonly vars: Record<string, unknown>;
  readonly fileVars: FileVars;
  /** ansible_group_priority, taken out of the group's variables as Ansible does (default 1). */
  priority?: number;
}

/** A loaded inventory. Treat it as immutable once loaded: lookups derived from it are cached. */
export interface Inventory {
  /** Insertion order = inventory order. */
  readonly hosts: Map<string, InventoryHost>;
  /** Always contains 'all' and 'ungrouped'. */
  readonly groups: Map<string, InventoryGroup>;
  /** True when built by implicitInventory() (no -i given). */
  readonly implicitLocalhost: boolean;
}

export const ALL = 'all';
export const UNGROUPED = 'ungrouped';
