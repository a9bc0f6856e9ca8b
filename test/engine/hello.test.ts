import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';

const hello = join(packageRoot, 'playbooks', 'hello.yml');

/** A hash of every path, mode and content under root: "byte-identical" made checkable. */
async function treeHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const info = await stat(path);
      hash.update(`${relative(root, path)}\0${info.mode}\0`);
      if (entry.isDirectory()) await walk(path);
      else hash.update(await readFile(path));
    }
  };
  await walk(root);
  return hash.digest('hex');
}

describe('playbooks/hello.yml', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir()));
  afterEach(async () => dir.cleanup());
  const base = () => ['-e', `base_dir=${dir.path}/hello`, '--output', 'plain'];

  it('converges, then a second run reports changed=0', async () => {
    const first = await rackplay('run', hello, ...base());
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'localhost').changed).toBeGreaterThan(0);
    const config = await readFile(join(dir.path, 'hello', 'etc', 'hello-web.conf'), 'utf8');
    expect(config).toContain('listen 8080');
    expect(config).toContain('server 127.0.0.1:9001\nserver 127.0.0.1:9002\n');
    const second = await rackplay('run', hello, ...base());
    expect(second.code).toBe(0);
    expect(recapOf(second.stdout, 'localhost')).toMatchObject({ changed: 0, failed: 0 });
  });

  it('--verify-idempotent passes', async () => {
    const run = await rackplay('run', hello, ...base(), '--verify-idempotent');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain('the second run changed nothing');
  });

  it('--check leaves the filesystem byte-identical, and --diff shows what would change', async () => {
    await rackplay('run', hello, ...base());
    const conf = join(dir.path, 'hello', 'etc', 'hello-web.conf');
    await writeFile(conf, 'drifted by hand\n');
    const before = await treeHash(dir.path);
    const check = await rackplay('run', hello, ...base(), '--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(await treeHash(dir.path)).toBe(before);
    expect(check.stdout).toContain('-drifted by hand');
    expect(check.stdout).toContain('+listen 8080');
    expect(recapOf(check.stdout, 'localhost').changed).toBeGreaterThan(0);
  });

  it('--check on a fresh machine creates nothing', async () => {
    const check = await rackplay('run', hello, ...base(), '--check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    await expect(readdir(dir.path)).resolves.toEqual([]);
  });

  it('--output json parses line by line and its recap matches the plain recap', async () => {
    const plain = await rackplay('run', hello, ...base());
    const json = await rackplay('run', hello, '-e', `base_dir=${dir.path}/hello`, '--output', 'json');
    expect(json.code).toBe(0);
    const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; stats?: Record<string, Record<string, number>> });
    const recap = events.at(-1)!;
    expect(recap.type).toBe('recap');
    const second = await rackplay('run', hello, ...base());
    expect(recap.stats!.localhost).toEqual(recapOf(second.stdout, 'localhost'));
    expect(recapOf(plain.stdout, 'localhost').changed).toBeGreaterThan(0);
  });
});

describe('rackplay doc', () => {
  it('prints the copy module parameters from its schema', async () => {
    const run = await rackplay('doc', 'copy');
    expect(run.code).toBe(0);
    for (const param of ['dest', 'content', 'src', 'mode', 'owner', 'group', 'backup']) expect(run.stdout).toMatch(new RegExp(`^  ${param} \\(`, 'm'));
    expect(run.stdout).toContain('EXAMPLES');
  });

  it('lists modules, and suggests on a typo', async () => {
    expect((await rackplay('doc')).stdout).toMatch(/^copy\s+/m);
    const typo = await rackplay('doc', 'cpoy');
    expect(typo.code).toBe(5);
    expect(typo.stderr).toContain("did you mean 'copy'");
  });
});
