import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { inventoryList } from '../../src/inventory/listing.js';
import { rackplay } from '../helpers/cli.js';

/**
 * 35 real inventories from public repositories (test/inventory/fixtures/real/SOURCES.md). For each, rackplay's
 * view must equal what ansible-inventory 2.14 printed for it: the same groups with their hosts and children in
 * the same order, and every host's merged variables.
 */
const root = join(import.meta.dirname, 'fixtures', 'real');
const cases = readdirSync(root)
  .filter((name) => statSync(join(root, name)).isDirectory())
  .map((name) => {
    const file = readdirSync(join(root, name)).find((entry) => entry !== 'expected.json' && statSync(join(root, name, entry)).isFile())!;
    return { name, file: join(root, name, file), expected: JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as Record<string, unknown> };
  });

const ansibleInventory = spawnSync('ansible-inventory', ['--version']).status === 0;
if (!ansibleInventory) console.warn('SKIPPED: live ansible-inventory comparison: ansible-core is not installed (.ci/run installs it)');

describe('real inventories: rackplay sees what ansible-inventory --list sees', () => {
  it('has the 35 captured inventories', () => {
    expect(cases).toHaveLength(35);
  });

  it.each(cases)('$name', async ({ file, expected }) => {
    const listed = inventoryList(await loadInventory([file]));
    expect(listed).toEqual(expected);
  });

  it('`rackplay inventory --list` prints the same JSON', async () => {
    const { file, expected } = cases.find((entry) => entry.name.startsWith('kolla'))!;
    const run = await rackplay('inventory', '-i', file, '--list');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it.runIf(ansibleInventory)('the captures are what this machine\'s ansible-inventory prints', () => {
    for (const { name, file, expected } of cases) {
      const live = spawnSync('ansible-inventory', ['-i', file, '--list'], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
      expect(live.status, `${name}: ${live.stderr}`).toBe(0);
      expect(JSON.parse(live.stdout), name).toEqual(expected);
    }
  }, 120_000);
});
