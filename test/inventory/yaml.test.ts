import { beforeAll, describe, expect, it } from 'vitest';
import { groupsMap, hostVariables, loadInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { fixture } from './fixtures/paths.js';

describe('YAML inventory', () => {
  let inventory: Inventory;
  beforeAll(async () => {
    inventory = await loadInventory([fixture('yaml', 'hosts.yml')]);
  });

  it('reads hosts, ranges and ports from host keys', () => {
    expect([...inventory.hosts.keys()]).toEqual(['bastion', 'web1', 'web2', 'web3.example.com', 'db01']);
    expect(inventory.hosts.get('web2')!.vars).toEqual({ http_port: 80 });
    expect(inventory.hosts.get('web3.example.com')!.vars).toEqual({ ansible_port: 2222 });
  });

  it('reads children, and a child named again elsewhere is the same group', () => {
    expect([...inventory.groups.get('dc')!.children]).toEqual(['web', 'db', 'empty']);
    expect(groupsMap(inventory)).toEqual({
      all: ['bastion', 'web1', 'web2', 'web3.example.com', 'db01'],
      ungrouped: ['bastion'],
      web: ['web1', 'web2', 'web3.example.com'],
      dc: ['web1', 'web2', 'web3.example.com', 'db01'],
      db: ['db01'],
      empty: [],
    });
  });

  it('follows YAML 1.1 as Ansible (PyYAML) reads it: yes is true and 0644 is octal 420', () => {
    expect(inventory.groups.get('web')!.vars).toEqual({ answer: true, mode: 420 });
  });

  it('applies all-group vars to every host', () => {
    expect(hostVariables(inventory, 'db01')).toMatchObject({ ntp: 'pool.ntp.org', primary: true, group_names: ['db', 'dc'] });
    expect(hostVariables(inventory, 'bastion')).toMatchObject({ ntp: 'pool.ntp.org', ansible_host: '192.0.2.1', group_names: [] });
  });
});
