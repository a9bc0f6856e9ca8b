import { beforeAll, describe, expect, it } from 'vitest';
import { hostVariables, loadInventory } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { fixture } from './fixtures/paths.js';

describe('an inventory folder', () => {
  let inventory: Inventory;
  beforeAll(async () => {
    inventory = await loadInventory([fixture('folder')]);
  });

  it('reads its INI and YAML files in name order, skipping hidden files, docs and the vars folders', () => {
    expect([...inventory.hosts.keys()]).toEqual(['web1', 'web2', 'web3', 'db1']);
    expect(inventory.hosts.get('web2')!.vars.color).toBe('green');
  });

  it('applies group_vars/<group>.yml and every file of group_vars/<group>/ in name order', () => {
    expect(inventory.groups.get('web')!.fileVars.inventory).toEqual({ tier: 'frontend' });
    expect(inventory.groups.get('all')!.fileVars.inventory).toEqual({ dns: '192.0.2.53', env: 'production' });
  });

  it('applies host_vars/<host>.json', () => {
    expect(hostVariables(inventory, 'web1')).toMatchObject({ weight: 10, tier: 'frontend', env: 'production' });
    expect(hostVariables(inventory, 'db1')).not.toHaveProperty('weight');
  });

  it('reads group_vars beside an inventory file given directly too', async () => {
    const single = await loadInventory([fixture('folder', '01-base.ini')]);
    expect(single.groups.get('web')!.fileVars.inventory).toEqual({ tier: 'frontend' });
    expect([...single.hosts.keys()]).toEqual(['web1', 'web2']);
  });
});
