import { beforeAll, describe, expect, it } from 'vitest';
import { hostVariables, loadInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { fixture } from './fixtures/paths.js';

const host = 'h1.dc1.example.com';

describe('variable precedence', () => {
  let inventory: Inventory;
  let vars: Record<string, unknown>;
  beforeAll(async () => {
    inventory = await loadInventory([fixture('precedence', 'inventory', 'hosts.yml')], { varDirs: [fixture('precedence', 'playbook')] });
    vars = hostVariables(inventory, host);
  });

  it('child group beats parent group beats all', () => {
    expect(vars.level).toBe('child');
    expect(hostVariables(inventory, 'h2').level).toBe('child');
  });

  it('host vars beat every group', () => {
    expect(vars.who).toBe('host');
    expect(hostVariables(inventory, 'h2').who).toBe('child');
  });

  it('groups at the same depth apply in name order, unless ansible_group_priority says otherwise', () => {
    expect(vars.sibling).toBe('beta');
    expect(vars.prio).toBe('low');
  });

  it('a group_vars file beats the same group inline; the playbook folder beats the inventory folder', () => {
    expect(vars.inline_vs_file).toBe('file');
    expect(vars.file_level).toBe('playbook');
    expect(vars.from_all).toBe('playbook-all');
    expect(vars.from_child_file).toBe(true);
  });

  it('a host_vars file beats the host inline; the playbook folder beats the inventory folder', () => {
    expect(vars.host_level).toBe('inventory-file');
    expect(vars.file_level_host).toBe('playbook');
  });

  it('adds the magic variables', () => {
    expect(vars).toMatchObject({
      inventory_hostname: host,
      inventory_hostname_short: 'h1',
      group_names: ['alpha', 'beta', 'child', 'low', 'parent', 'zed'],
    });
  });

  it('without the playbook folder, the inventory folder files apply', async () => {
    const alone = await loadInventory([fixture('precedence', 'inventory', 'hosts.yml')]);
    expect(hostVariables(alone, host)).toMatchObject({ file_level: 'inventory', file_level_host: 'inventory', from_all: 'all' });
  });
});
