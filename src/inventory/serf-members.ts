import { addressHost } from '../../modules/serf_agent/parse.js';
import type { SerfMember } from '../../modules/serf_agent/parse.js';

/** How members become hosts and groups (the serf source's options, defaults applied). */
export interface SerfGrouping {
  readonly statuses: readonly string[];
  readonly groupByTags: readonly string[];
  /** `{{value}}` or e.g. `{{tag}}_{{value}}`. */
  readonly groupName: string;
  readonly group?: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface SerfHost {
  readonly name: string;
  readonly groups: readonly string[];
  readonly vars: Record<string, unknown>;
}

/** A group name from a tag and its value, with what a group name cannot hold turned into _ (as Ansible does). */
export function serfGroupName(format: string, tag: string, value: string): string {
  const name = format.replace(/\{\{\s*tag\s*\}\}/g, tag).replace(/\{\{\s*value\s*\}\}/g, value).replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

const NAME_ORDER = new Intl.Collator('en', { numeric: true });

/**
 * PURE. Members to hosts: the member's name, ansible_host from its address, serf_status / serf_tags / serf_addr /
 * serf_port, and a group per grouping tag it carries, in name order. Members whose status is not listed are left out.
 */
export function serfHosts(members: readonly SerfMember[], grouping: SerfGrouping): SerfHost[] {
  const statuses = new Set(grouping.statuses);
  const hosts: SerfHost[] = [];
  // serf members lists in no fixed order; by name (web2 before web10), groups and patterns (`web[0]`) pick the
  // same host every run.
  const byName = [...members].sort((a, b) => NAME_ORDER.compare(a.name, b.name));
  for (const member of byName) {
    if (!statuses.has(member.status)) continue;
    const groups: string[] = grouping.group === undefined ? [] : [grouping.group];
    for (const tag of grouping.groupByTags) {
      const value = member.tags[tag];
      if (value !== undefined && value !== '') groups.push(serfGroupName(grouping.groupName, tag, value));
    }
    hosts.push({
      name: member.name,
      groups,
      vars: { ...grouping.vars, ansible_host: addressHost(member.addr), serf_addr: member.addr, serf_port: member.port, serf_status: member.status, serf_tags: { ...member.tags } },
    });
  }
  return hosts;
}
