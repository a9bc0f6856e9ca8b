import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupsMap, hostVariables, implicitInventory, loadInventory, selectHosts } from '../../src/inventory/index.js';
import { tempDir } from '../helpers/cli.js';

describe('inventory sources', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir('rackplay-inventory-')));
  afterEach(async () => dir.cleanup());

  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir.path, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    return path;
  };

  it('merges several sources: same names are the same host and group, later values win', async () => {
    const first = await write('a.ini', '[web]\nweb1 color=red size=1\n');
    const second = await write('b.yml', 'web:\n  hosts:\n    web1: { color: blue }\n    web2:\n');
    const inventory = await loadInventory([first, second]);
    expect([...inventory.hosts.keys()]).toEqual(['web1', 'web2']);
    expect(inventory.hosts.get('web1')!.vars).toEqual({ color: 'blue', size: 1 });
    expect(inventory.implicitLocalhost).toBe(false);
  });

  it('reads a YAML file without a YAML extension as YAML', async () => {
    const hosts = await write('hosts', '# lab\nall:\n  hosts:\n    lab-1:\n');
    expect([...(await loadInventory([hosts])).hosts.keys()]).toEqual(['lab-1']);
  });

  it("accepts Ansible's comma-separated host list", async () => {
    const inventory = await loadInventory(['web1,web2,']);
    expect(groupsMap(inventory)).toEqual({ all: ['web1', 'web2'], ungrouped: ['web1', 'web2'] });
  });

  it('a children entry naming a group defined nowhere creates it empty', async () => {
    const hosts = await write('hosts.ini', '[web]\nweb1\n[prod:children]\nweb\nfuture\n');
    const inventory = await loadInventory([hosts]);
    expect(inventory.groups.get('future')).toMatchObject({ hosts: new Set(), children: new Set() });
    expect(selectHosts(inventory, 'future')).toEqual([]);
    expect(selectHosts(inventory, 'prod')).toEqual(['web1']);
  });

  it('a host that only appears under a child of all is not ungrouped', async () => {
    const hosts = await write('hosts.yml', 'all:\n  hosts:\n    solo:\n  children:\n    web:\n      hosts:\n        web1:\n');
    const inventory = await loadInventory([hosts]);
    expect(groupsMap(inventory)).toEqual({ all: ['solo', 'web1'], ungrouped: ['solo'], web: ['web1'] });
  });

  it('implicitInventory: only localhost, local connection, with the playbook folder vars', async () => {
    await write('playbook/group_vars/all.yml', 'greeting: hello\n');
    await write('playbook/host_vars/localhost.yml', 'ansible_python_interpreter: none\n');
    const inventory = await implicitInventory({ varDirs: [join(dir.path, 'playbook')] });
    expect(inventory.implicitLocalhost).toBe(true);
    expect(groupsMap(inventory)).toEqual({ all: ['localhost'], ungrouped: ['localhost'] });
    expect(hostVariables(inventory, 'localhost')).toEqual({
      greeting: 'hello',
      ansible_connection: 'local',
      ansible_python_interpreter: 'none',
      inventory_hostname: 'localhost',
      inventory_hostname_short: 'localhost',
      group_names: [],
    });
  });

  it('the implicit localhost of a real inventory gets the all-group vars', async () => {
    const hosts = await write('hosts.ini', '[web]\nweb1\n[all:vars]\nntp=pool\n');
    const inventory = await loadInventory([hosts]);
    expect(hostVariables(inventory, 'localhost')).toMatchObject({ ntp: 'pool', ansible_connection: 'local', group_names: [] });
    expect(() => hostVariables(inventory, 'stranger')).toThrow(expect.objectContaining({ code: 'E_INVENTORY' }));
  });
});
