import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rackplay, tempDir } from '../helpers/cli.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

/** Each fixture states what it expects in `# expect: CODE line:col [text]` header lines. */
function expectations(file: string): { code: string; position?: string; text?: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = /^# expect: (E_[A-Z_]+)(?: (\d+:\d+))?(?: (.*))?$/.exec(line);
      return match ? [{ code: match[1]!, position: match[2], text: match[3] }] : [];
    });
}

describe('a bad playbook exits 4 with file:line:col for every problem, and no host is touched', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => (dir = await tempDir()));
  afterAll(async () => dir.cleanup());

  const playbooks = readdirSync(join(fixtures, 'bad')).filter((name) => name.endsWith('.yml'));
  it.each(playbooks)('%s', async (name) => {
    const file = join(fixtures, 'bad', name);
    const marker = join(dir.path, `${name}.ran`);
    const run = await rackplay('run', file, '-e', `marker=${marker}`, '--output', 'plain');
    expect(run.code).toBe(4);
    const wanted = expectations(file);
    expect(wanted.length).toBeGreaterThan(0);
    for (const { code, position, text } of wanted) {
      const line = run.stderr.split('\n').find((entry) => entry.startsWith(`${file}:${position ?? ''}`) && entry.includes(code));
      expect(line, `expected ${code} at ${position} in:\n${run.stderr}`).toBeDefined();
      if (text !== undefined) expect(line).toContain(text);
    }
    expect(run.stderr.trim().split('\n').filter((line) => line.startsWith(file))).toHaveLength(wanted.length);
    expect(existsSync(marker)).toBe(false);
    expect(run.stdout).toBe('');
  });

  const inventories = readdirSync(join(fixtures, 'bad-inventory'));
  it.each(inventories)('inventory %s', async (name) => {
    const inventory = join(fixtures, 'bad-inventory', name);
    const marker = join(dir.path, `${name}.ran`);
    const run = await rackplay('run', join(fixtures, 'ok.yml'), '-i', inventory, '-e', `marker=${marker}`, '--output', 'plain');
    expect(run.code).toBe(4);
    for (const { code, position } of expectations(inventory)) {
      expect(run.stderr).toMatch(new RegExp(`^${inventory}:${position ?? '\\d+:\\d+'}[^\\n]* ${code} `, 'm'));
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('validate reports the same problems without running anything', async () => {
    const file = join(fixtures, 'bad', 'many-problems.yml');
    const run = await rackplay('validate', file, '-e', 'marker=/nonexistent');
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('4 problems found; no host was contacted.');
  });
});
