import type { RackplayError, SourcePosition } from '../errors.js';
import { ALL, UNGROUPED } from './model.js';
import type { InventoryGroup, InventoryHost } from './model.js';

interface ChildEdge {
  readonly parent: string;
  readonly child: string;
  readonly position?: SourcePosition;
}

/**
 * The mutable inventory every source writes into, so several sources (files, folders, -i repeated)
 * merge the way Ansible merges them: same host or group name = same entity, later values win.
 */
export class InventoryBuilder {
  readonly hosts = new Map<string, InventoryHost>();
  readonly groups = new Map<string, InventoryGroup>();
  readonly edges: ChildEdge[] = [];
  readonly problems: RackplayError[] = [];
  /** Groups that only ever appeared in a [g:vars] header, with where; Ansible rejects those. */
  readonly varsOnlyGroups = new Map<string, SourcePosition>();
  private readonly declaredGroups = new Set<string>([ALL, UNGROUPED]);

  constructor() {
    this.group(ALL);
    this.group(UNGROUPED);
  }

  /** Declares a group (a [g] or [g:children] section, a YAML group, a child entry). */
  declareGroup(name: string): InventoryGroup {
    this.declaredGroups.add(name);
    this.varsOnlyGroups.delete(name);
    return this.group(name);
  }

  /** A group named only by its [g:vars] section: usable, but an error unless declared somewhere else too. */
  varsGroup(name: string, position: SourcePosition): InventoryGroup {
    if (!this.declaredGroups.has(name) && !this.varsOnlyGroups.has(name)) this.varsOnlyGroups.set(name, position);
    return this.group(name);
  }

  host(name: string): InventoryHost {
    let host = this.hosts.get(name);
    if (host === undefined) {
      host = { name, vars: {}, fileVars: { inventory: {}, playbook: {} } };
      this.hosts.set(name, host);
    }
    return host;
  }

  addHostToGroup(group: string, host: string, vars: Record<string, unknown> = {}): void {
    Object.assign(this.host(host).vars, vars);
    this.declareGroup(group).hosts.add(host);
  }

  addChild(parent: string, child: string, position?: SourcePosition): void {
    const parentGroup = this.declareGroup(parent);
    this.declareGroup(child);
    if (parentGroup.children.has(child)) return;
    parentGroup.children.add(child);
    this.edges.push({ parent, child, position });
  }

  private group(name: string): InventoryGroup {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { name, hosts: new Set(), children: new Set(), vars: {}, fileVars: { inventory: {}, playbook: {} } };
      this.groups.set(name, group);
    }
    return group;
  }
}
