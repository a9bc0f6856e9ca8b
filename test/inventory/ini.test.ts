import { beforeAll, describe, expect, it } from 'vitest';
import { groupsMap, hostVariables, loadInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { fixture } from './fixtures/paths.js';

describe('INI inventory', () => {
  let inventory: Inventory;
  beforeAll(async () => {
    inventory = await loadInventory([fixture('ini', 'hosts.ini')]);
  });

  it('keeps hosts in file order, with ranges expanded in place', () => {
    expect([...inventory.hosts.keys()]).toEqual([
      'jump.example.com',
      'web01',
      'web02',
      'web03',
      'web-extra',
      'db-a',
      'db-b',
      'db-c',
      'db-z',
      'node1',
      'node5',
      'node9',
    ]);
  });

  it('puts hosts before any section in ungrouped, and only those', () => {
    expect([...inventory.groups.get('ungrouped')!.hosts]).toEqual(['jump.example.com']);
    expect(hostVariables(inventory, 'jump.example.com')).toMatchObject({ ansible_user: 'admin', group_names: [] });
  });

  it('reads [g:children] and makes top-level groups children of all', () => {
    expect([...inventory.groups.get('datacenter')!.children]).toEqual(['web', 'db']);
    expect([...inventory.groups.get('all')!.children].sort()).toEqual(['datacenter', 'odd', 'ungrouped']);
    expect(groupsMap(inventory).datacenter).toEqual(['web01', 'web02', 'web03', 'web-extra', 'db-a', 'db-b', 'db-c', 'db-z']);
  });

  it('gives inline vars to every host of a range, and turns :port into ansible_port', () => {
    expect(inventory.hosts.get('web02')!.vars).toEqual({ http_port: 8080, role: 'frontend' });
    expect(inventory.hosts.get('web-extra')!.vars).toEqual({ ansible_port: 2222, ansible_host: '10.0.0.9' });
  });

  // The values ansible-inventory 2.14 --list printed for this line: shlex, then Python's literal_eval.
  it('parses inline values as Ansible does: shell quotes gone, then Python literals', () => {
    expect(inventory.hosts.get('db-z')!.vars).toEqual({
      mode: '0644',
      enabled: 'true',
      ratio: 0.5,
      name: 'hello world',
      quoted: 42,
      list: [1, 2],
      map: '{a:1}',
      nothing: null,
      big: 31,
      shout: 'yes',
    });
  });

  it('reads [g:vars] values whole, as Python literals where they are (a comment after a literal is Python\'s)', () => {
    expect(inventory.groups.get('web')!.vars).toEqual({ proxy: 'http://proxy:3128', timeout: 30, banner: 'ready steady' });
    expect(hostVariables(inventory, 'web01')).toMatchObject({ region: 'eu', timeout: 30, http_port: 8080, group_names: ['datacenter', 'web'] });
  });
});
