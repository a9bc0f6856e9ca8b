/** A host of the inventory; `vars` holds its inline variables merged with its host_vars files. */
export interface InventoryHost {
  readonly name: string;
  readonly vars: Record<string, unknown>;
}

/**
 * A group: `hosts` are its direct members (for 'all': every host), `children` its direct child groups.
 * `vars` holds its [g:vars] / YAML vars merged with its group_vars files.
 */
export interface InventoryGroup {
  readonly name: string;
  readonly hosts: Set<string>;
  readonly children: Set<string>;
  readonly vars: Record<string, unknown>;
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
