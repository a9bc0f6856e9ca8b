import { beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, selectHosts } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { fixture } from './fixtures/paths.js';

const everyHost = ['web1', 'web2', 'web3.example.com', 'db1', 'db2'];
/**
 * 'all' in Ansible's order (ansible-core 2.14 `ansible -i hosts.ini all --list-hosts`): its child groups breadth
 * first, so staging (a child of all) comes before web and db (children of app).
 */
const allInAnsibleOrder = ['web2', 'db2', 'web1', 'web3.example.com', 'db1'];

describe('host patterns', () => {
  let inventory: Inventory;
  beforeAll(async () => {
    inventory = await loadInventory([fixture('patterns', 'hosts.ini')]);
  });
  const select = (pattern: string | string[]) => selectHosts(inventory, pattern);

  it('all and * select every host', () => {
    expect(select('all')).toEqual(allInAnsibleOrder);
    expect(select('*')).toEqual(allInAnsibleOrder);
  });

  it('a group selects its hosts and those of its children', () => {
    expect(select('web')).toEqual(['web1', 'web2', 'web3.example.com']);
    expect(select('app')).toEqual(everyHost);
  });

  it('a host name selects that host', () => {
    expect(select('db1')).toEqual(['db1']);
    expect(select('web3.example.com')).toEqual(['web3.example.com']);
  });

  it('globs match group and host names in full', () => {
    expect(select('web*')).toEqual(['web1', 'web2', 'web3.example.com']);
    expect(select('*.example.com')).toEqual(['web3.example.com']);
    expect(select('db?')).toEqual(['db1', 'db2']);
    expect(select('web[!1]*')).toEqual(['web2', 'web3.example.com']);
  });

  it('~regex matches from the start of the name, like Python re.match', () => {
    expect(select('~db\\d')).toEqual(['db1', 'db2']);
    expect(select('~(web|db)1')).toEqual(['web1', 'db1']);
    expect(select('~b1')).toEqual([]);
  });

  // Expected values: ansible-core 2.14 `ansible -i hosts.ini PATTERN --list-hosts` on this fixture.
  it('unions with : or , or a list return hosts in the order of the terms', () => {
    expect(select('db:web')).toEqual(['db1', 'db2', 'web1', 'web2', 'web3.example.com']);
    expect(select('db1,web2')).toEqual(['db1', 'web2']);
    expect(select(['db2', 'web1'])).toEqual(['db2', 'web1']);
  });

  it('&intersection and !exclusion', () => {
    expect(select('app:&staging')).toEqual(['web2', 'db2']);
    expect(select('app:!staging')).toEqual(['web1', 'web3.example.com', 'db1']);
    expect(select('web:&staging:!db')).toEqual(['web2']);
    // Like Ansible, exclusions apply last whatever their position.
    expect(select('!db:web1:db1')).toEqual(['web1']);
    // Only & and ! terms: they start from all.
    expect(select('!staging')).toEqual(['web1', 'web3.example.com', 'db1']);
    expect(select('&db')).toEqual(['db2', 'db1']);
  });

  it('subscripts pick hosts of a group by position', () => {
    expect(select('web[0]')).toEqual(['web1']);
    expect(select('web[-1]')).toEqual(['web3.example.com']);
    expect(select('web[1:2]')).toEqual(['web2', 'web3.example.com']);
    expect(select('app[3:]')).toEqual(['db1', 'db2']);
    expect(select('web[7]')).toEqual([]);
  });

  it('unknown names match nothing', () => {
    expect(select('nope')).toEqual([]);
    expect(select('nope:db1')).toEqual(['db1']);
    // An empty pattern is 'all', as in Ansible.
    expect(select('')).toEqual(allInAnsibleOrder);
  });

  it('localhost matches the implicit localhost even when not in the inventory, but all does not', () => {
    expect(select('localhost')).toEqual(['localhost']);
    expect(select('db1:localhost')).toEqual(['db1', 'localhost']);
    expect(select('all')).not.toContain('localhost');
  });

  it('an invalid regex is an E_INVENTORY error', () => {
    expect(() => select('~(')).toThrow(expect.objectContaining({ code: 'E_INVENTORY' }));
  });
});
