import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import shell from '../../modules/shell/index.js';
import { planTask, runTask } from './context.js';
import { expectCheckLeavesTree } from './converge.js';
import { useTempDir } from './tree.js';

const dir = useTempDir();
const at = (...parts: string[]) => join(dir.path, ...parts);

describe('shell', () => {
  it('runs through sh -c: pipes, variables and globs work', async () => {
    const { result } = await runTask(shell, shell.freeForm!('x=3; printf "a\\nb\\nc\\n" | head -n "$x" | wc -l'), { baseDir: dir.path });
    expect(result).toMatchObject({ changed: true, rc: 0, stdout: '3', cmd: 'x=3; printf "a\\nb\\nc\\n" | head -n "$x" | wc -l' });
  });

  it('keeps a multi-line script as written, and reads inline options out of free form', () => {
    const script = "cat <<EOF\nit's here\nEOF\n";
    expect(shell.freeForm!(script)).toEqual({ cmd: script });
    expect(shell.freeForm!('make  >log 2>&1 chdir=/src creates=build/out')).toEqual({ cmd: 'make  >log 2>&1', chdir: '/src', creates: 'build/out' });
  });

  it('uses another executable when asked', async () => {
    const { result } = await runTask(shell, { cmd: 'echo "${BASH_VERSION:+bash}"', executable: '/bin/bash' }, { baseDir: dir.path });
    expect(result?.stdout).toBe('bash');
  });

  it('reports a failing script as failed with its output', async () => {
    const { result } = await runTask(shell, { cmd: 'echo oops; exit 3' }, { baseDir: dir.path });
    expect(result).toMatchObject({ failed: true, rc: 3, stdout: 'oops' });
  });

  it('runs in chdir with stdin', async () => {
    const { result } = await runTask(shell, { cmd: 'read line; echo "$line in $(pwd)"', chdir: dir.path, stdin: 'hello' }, { baseDir: dir.path });
    expect(result?.stdout).toBe(`hello in ${dir.path}`);
  });

  it('creates makes it idempotent; check mode runs nothing', async () => {
    const params = { cmd: 'echo built > out.txt', chdir: dir.path, creates: 'out.txt' };
    const checked = await expectCheckLeavesTree(shell, params, { baseDir: dir.path });
    expect(checked.changes).toHaveLength(1);
    expect(existsSync(at('out.txt'))).toBe(false);
    await runTask(shell, params, { baseDir: dir.path });
    expect(existsSync(at('out.txt'))).toBe(true);
    expect((await planTask(shell, params, { baseDir: dir.path })).noopReason).toBe("Did not run command since 'out.txt' exists");
  });
});
