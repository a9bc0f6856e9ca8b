import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { tempDir } from '../helpers/cli.js';
import { fixture, problemsOf } from './fixtures/paths.js';

/** Every file under `path` with its `# expect: CODE line:col text` header lines, as the problems wanted. */
function expectedProblems(path: string): { file: string; code: string; position: string; text: string }[] {
  if (statSync(path).isDirectory()) return readdirSync(path).flatMap((name) => expectedProblems(join(path, name)));
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = /^# expect: (E_[A-Z_]+) (\d+:\d+) (.*)$/.exec(line);
      return match ? [{ file: path, code: match[1]!, position: match[2]!, text: match[3]! }] : [];
    });
}

describe('inventory errors: every problem at once, each at file:line:col', () => {
  const sources = readdirSync(fixture('errors'));

  it.each(sources)('%s', async (name) => {
    const source = fixture('errors', name);
    const wanted = expectedProblems(source);
    expect(wanted.length).toBeGreaterThan(0);
    const problems = await problemsOf(loadInventory([source]));
    for (const { file, code, position, text } of wanted) {
      const found = problems.find((problem) => problem.startsWith(`${file}:${position} ${code} `));
      expect(found, `${code} at ${file}:${position} in\n${problems.join('\n')}`).toBeDefined();
      expect(found).toContain(text);
    }
    expect(problems).toHaveLength(wanted.length);
  });

  it('merges problems from several sources into one failure', async () => {
    const problems = await problemsOf(loadInventory([fixture('errors', 'cycle.ini'), fixture('errors', 'duplicate-key.yml')]));
    expect(problems.map((problem) => problem.split(' ')[1])).toEqual(['E_GROUP_CYCLE', 'E_DUPLICATE_KEY']);
  });

  describe('with a temp folder', () => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    beforeAll(async () => (dir = await tempDir('rackplay-inventory-')));
    afterAll(async () => dir.cleanup());

    it('a missing source is E_FILE_NOT_FOUND at the path given', async () => {
      const missing = join(dir.path, 'nope.ini');
      expect(await problemsOf(loadInventory([missing]))).toEqual([`${missing}:1:1 E_FILE_NOT_FOUND inventory source not found: ${missing}`]);
    });
  });
});
