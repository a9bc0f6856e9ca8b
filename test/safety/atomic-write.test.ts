import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { putScript } from '../../src/connection/put.js';
import { packageRoot } from '../../src/paths.js';
import { rackplay, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
}

/** Runs a put script with stdin cut after `cut` bytes, as the target sees a controller killed mid-transfer. */
function putCut(script: string, content: Buffer, cut: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
    child.stdin.on('error', () => undefined);
    child.stdin.end(content.subarray(0, cut));
  });
}

describe('a put cut short never reaches the destination', () => {
  it('200 transfers cut at random points: the destination holds the old bytes or all the new ones, and no temp file stays', async () => {
    const dest = join(dir.path, 'dest.conf');
    const old = Buffer.from('old content\n'.repeat(100));
    const next = Buffer.alloc(256 * 1024);
    const next01 = random(7);
    for (let index = 0; index < next.length; index++) next[index] = Math.floor(next01() * 256);
    writeFileSync(dest, old);
    const cutAt = random(42);
    let installed = 0;
    for (let attempt = 0; attempt < 200; attempt++) {
      // Every tenth transfer is complete; the others stop anywhere, the empty transfer included.
      const cut = attempt % 10 === 9 ? next.length : Math.floor(cutAt() * next.length);
      const code = await putCut(putScript(dest, next, {}), next, cut);
      const now = readFileSync(dest);
      if (cut === next.length) {
        expect(code).toBe(0);
        expect(now.equals(next)).toBe(true);
        installed++;
        writeFileSync(dest, old);
      } else {
        expect(code, `cut at ${cut}`).not.toBe(0);
        expect(now.equals(old), `cut at ${cut} of ${next.length}`).toBe(true);
      }
      expect(readdirSync(dir.path)).toEqual(['dest.conf']);
    }
    expect(installed).toBe(20);
  });

  it('kill -9 and SIGTERM of rackplay during copy leave the old file or the whole new one', async () => {
    const files = await writeFiles(dir.path, {
      'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: { src: big.bin, dest: "${dir.path}/out/dest.bin" }\n`,
    });
    const big = Buffer.alloc(48 * 1024 * 1024);
    const fill = random(3);
    for (let index = 0; index < big.length; index += 4096) big[index] = Math.floor(fill() * 256);
    writeFileSync(join(dir.path, 'big.bin'), big);
    const old = Buffer.from('the previous version\n');
    const out = join(dir.path, 'out');
    mkdirSync(out);
    const delays = random(11);
    const outcomes = { old: 0, new: 0 };
    for (let attempt = 0; attempt < 12; attempt++) {
      writeFileSync(join(out, 'dest.bin'), old);
      const child = spawn(process.execPath, [join(packageRoot, 'bin', 'rackplay.js'), 'run', files['site.yml']!, '--output', 'plain'], { stdio: 'ignore' });
      const closed = new Promise((resolve) => child.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 250 + delays() * 450));
      child.kill(attempt % 2 === 0 ? 'SIGKILL' : 'SIGTERM');
      await closed;
      // The target side of an interrupted put still runs for a moment: wait until it has settled.
      await settled(out);
      const now = readFileSync(join(out, 'dest.bin'));
      if (now.equals(old)) outcomes.old++;
      else if (now.equals(big)) outcomes.new++;
      else expect.fail(`attempt ${attempt}: a torn file of ${now.length} bytes`);
    }
    console.log(`kills during copy: ${outcomes.old} left the old file, ${outcomes.new} the new one`);
    expect(outcomes.old + outcomes.new).toBe(12);
    expect(outcomes.old, 'no kill landed before the rename: the delays need adjusting').toBeGreaterThan(0);
  }, 120_000);
});

/** Waits until the folder holds only dest.bin (a put's temp file is gone), at most 10 s. */
async function settled(folder: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (readdirSync(folder).every((name) => name === 'dest.bin')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect.fail(`temp files left in ${folder}: ${readdirSync(folder).join(', ')}`);
}

describe('concurrent lineinfile runs on one file keep every line', () => {
  it('eight runs at once each add their line; none is lost', async () => {
    const target = join(dir.path, 'hosts.allow');
    writeFileSync(target, '# managed\n');
    const playbooks = await writeFiles(
      dir.path,
      Object.fromEntries(
        Array.from({ length: 8 }, (_, index) => [
          `add-${index}.yml`,
          `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - lineinfile: { path: "${target}", line: "line from run ${index}" }\n`,
        ]),
      ),
    );
    const runs = await Promise.all(Object.values(playbooks).map((file) => rackplay('run', file, '--output', 'plain')));
    for (const run of runs) expect(run.code, run.stdout).toBe(0);
    const lines = readFileSync(target, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('# managed');
    expect(lines.slice(1).sort()).toEqual(Array.from({ length: 8 }, (_, index) => `line from run ${index}`));
  });
});
