import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { rackplay, tempDir } from '../helpers/cli.js';

/**
 * Gathers read ahead (src/run/gather-ahead.ts) must change nothing but the time: every event of a run, its
 * results and diffs included, is the same with RACKPLAY_GATHER_AHEAD=0 and without, on a first run, a
 * no-change run and under --check --diff.
 */
const TIMING_KEYS = new Set(['durationMs', 'time', 'commandMs', 'commandCount', 'timings', 'start', 'end', 'delta']);

function normalized(jsonLines: string, dir: string): unknown[] {
  const events = jsonLines.trim().split('\n').map((line) => JSON.parse(line.replaceAll(dir, '<DIR>')) as unknown);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => !TIMING_KEYS.has(key)).map(([key, entry]) => [key, strip(entry)]));
  };
  return events.map(strip);
}

async function runWith(gatherAhead: boolean, args: string[]): Promise<{ code: number; stdout: string }> {
  const previous = process.env.RACKPLAY_GATHER_AHEAD;
  process.env.RACKPLAY_GATHER_AHEAD = gatherAhead ? '1' : '0';
  try {
    return await rackplay('run', ...args, '--output', 'json');
  } finally {
    if (previous === undefined) delete process.env.RACKPLAY_GATHER_AHEAD;
    else process.env.RACKPLAY_GATHER_AHEAD = previous;
  }
}

/**
 * Read-ahead's hard cases in one play: a folder then a copy into it, a file a command rewrites before later
 * tasks read it, a set_fact and a registered result later params and a template depend on, when, a loop,
 * a block with rescue, and a debug the window reads across.
 */
const MIXED = `
- hosts: localhost
  gather_facts: false
  vars:
    root: "{{dir}}/mixed"
    greeting: hello
  tasks:
    - file: { path: "{{root}}", state: directory, mode: "0755" }
    - file: { path: "{{root}}/conf.d", state: directory, mode: "0755" }
    - copy: { content: "a=1\\n", dest: "{{root}}/conf.d/a.conf", mode: "0644" }
    - debug: { msg: "between reads" }
    - lineinfile: { path: "{{root}}/conf.d/a.conf", line: "b=2" }
    - lineinfile: { path: "{{root}}/list", line: "one", create: true }
    - shell: "test -f {{root}}/rewritten || printf 'from the command\\\\n' > {{root}}/list"
      args: { creates: "{{root}}/rewritten" }
    - lineinfile: { path: "{{root}}/list", line: "two" }
    - copy: { content: "done\\n", dest: "{{root}}/rewritten" }
    - set_fact: { greeting: "hello again" }
    - template: { src: greet.hbs, dest: "{{root}}/greet.txt" }
    - command: cat {{root}}/greet.txt
      register: greet
      changed_when: false
    - copy: { content: "{{greet.stdout}}\\n", dest: "{{root}}/greet-copy.txt" }
      when: "eq greet.rc 0"
    - copy: { content: "{{item}}\\n", dest: "{{root}}/loop-{{item}}" }
      loop: [x, y]
    - block:
        - lineinfile: { path: "{{root}}/missing/dir/file", line: "never" }
      rescue:
        - copy: { content: "rescued\\n", dest: "{{root}}/rescued" }
    - file: { path: "{{root}}/conf.d/a.conf", mode: "0600" }
    - copy: { content: "last\\n", dest: "{{root}}/conf.d/last.conf" }
`;

describe('gathers read ahead give the same run as gathers at each turn', () => {
  let on: Awaited<ReturnType<typeof tempDir>>;
  let off: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    on = await tempDir('rackplay-ahead-on-');
    off = await tempDir('rackplay-ahead-off-');
  });
  afterEach(async () => {
    await on.cleanup();
    await off.cleanup();
  });

  async function compare(playbookFor: (dir: string) => Promise<string>, extra: (dir: string) => string[]): Promise<void> {
    const books = { on: await playbookFor(on.path), off: await playbookFor(off.path) };
    for (const pass of [['--check', '--diff'], ['--diff'], ['--diff'], ['--check', '--diff']]) {
      const withAhead = await runWith(true, [books.on, ...extra(on.path), ...pass]);
      const without = await runWith(false, [books.off, ...extra(off.path), ...pass]);
      expect(withAhead.code).toBe(without.code);
      expect(normalized(withAhead.stdout, on.path)).toEqual(normalized(without.stdout, off.path));
    }
  }

  it('playbooks/hello.yml: check, first run, no-change run, check again', async () => {
    await compare(
      async (dir) => {
        await cp(join(packageRoot, 'playbooks'), join(dir, 'playbooks'), { recursive: true });
        return join(dir, 'playbooks', 'hello.yml');
      },
      (dir) => ['-e', `base_dir=${dir}/hello`],
    );
  });

  it('a play of the hard cases: a command rewriting what later tasks read, set_fact, register, loop, rescue', async () => {
    await compare(
      async (dir) => {
        await writeFile(join(dir, 'greet.hbs'), '{{greeting}} from {{inventory_hostname}}\n');
        await writeFile(join(dir, 'site.yml'), MIXED);
        return join(dir, 'site.yml');
      },
      (dir) => ['-e', `dir=${dir}`],
    );
  });
});
