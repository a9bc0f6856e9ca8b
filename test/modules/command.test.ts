import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import command from '../../modules/command/index.js';
import { extractInlineOptions, splitWords } from '../../modules/command/parse.js';
import { planTask, runTask } from './context.js';
import { expectCheckLeavesTree } from './converge.js';
import { useTempDir } from './tree.js';

const dir = useTempDir();
const at = (...parts: string[]) => join(dir.path, ...parts);
const freeForm = (text: string) => command.freeForm!(text);

describe('command words', () => {
  it.each([
    ['ls -l /tmp', ['ls', '-l', '/tmp']],
    ['  spaced\tout \n words ', ['spaced', 'out', 'words']],
    [`echo 'a b' "c \\"d\\" \\$e" f\\ g`, ['echo', 'a b', 'c "d" $e', 'f g']],
    [`printf '%s' "it's" ''`, ['printf', '%s', "it's", '']],
    ['a"b"c\'d\'', ['abcd']],
    ['echo $HOME *', ['echo', '$HOME', '*']],
    ['', []],
  ])('%j → %j', (text, words) => {
    expect(splitWords(text).map((word) => word.value)).toEqual(words);
  });

  it.each([`echo 'open`, 'echo "open', 'trailing\\'])('rejects %j', (text) => {
    expect(() => splitWords(text)).toThrow(/unterminated|trailing/);
  });

  it("reads Ansible's inline options out of free form, only when unquoted", () => {
    expect(extractInlineOptions('make install chdir=/src creates="/usr/local/bin/my app"', ['chdir', 'creates'])).toEqual({
      rest: 'make install',
      options: { chdir: '/src', creates: '/usr/local/bin/my app' },
    });
    expect(extractInlineOptions("echo 'creates=x' removes=y", ['creates', 'removes'])).toEqual({ rest: "echo 'creates=x'", options: { removes: 'y' } });
    expect(extractInlineOptions('echo executable=x', ['creates'])).toEqual({ rest: 'echo executable=x', options: {} });
    expect(freeForm('ls -l chdir=/tmp')).toEqual({ cmd: 'ls -l', chdir: '/tmp' });
  });
});

describe('command', () => {
  it('runs an argv without a shell and reports like Ansible', async () => {
    const { plan, result } = await runTask(command, freeForm("printf '%s\\n' $HOME 'two words'"), { baseDir: dir.path });
    expect(plan.changes).toHaveLength(1);
    expect(result).toMatchObject({
      changed: true,
      rc: 0,
      stdout: '$HOME\ntwo words',
      stderr: '',
      stdout_lines: ['$HOME', 'two words'],
      stderr_lines: [],
      cmd: ['printf', '%s\\n', '$HOME', 'two words'],
    });
    expect(result?.failed).toBeUndefined();
    expect(result?.delta).toMatch(/^0:00:\d\d\.\d{6}$/);
    expect(result?.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('takes an argv list as given', async () => {
    const { result } = await runTask(command, { argv: ['sh', '-c', 'echo "$0"', 'a; b'] }, { baseDir: dir.path });
    expect(result?.stdout).toBe('a; b');
  });

  it('fails on a non-zero exit with a result, not an exception, so failed_when can decide', async () => {
    const { result } = await runTask(command, { argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] }, { baseDir: dir.path });
    expect(result).toMatchObject({ changed: true, failed: true, rc: 3, stdout: 'out', stderr: 'err', msg: 'non-zero return code' });
  });

  it('runs in chdir and feeds stdin with a trailing newline', async () => {
    await mkdir(at('work'));
    expect((await runTask(command, { cmd: 'pwd', chdir: at('work') }, { baseDir: dir.path })).result?.stdout).toBe(at('work'));
    const { result } = await runTask(command, { cmd: 'od -c', stdin: 'hi' }, { baseDir: dir.path });
    expect(result?.stdout).toContain('h   i  \\n');
    const raw = await runTask(command, { cmd: 'wc -c', stdin: 'hi', stdin_add_newline: false }, { baseDir: dir.path });
    expect(String(raw.result?.stdout).trim()).toBe('2');
  });

  it('skips when creates matches (a glob, relative to chdir), with Ansible wording', async () => {
    await writeFile(at('done.marker'), '');
    const plan = await planTask(command, { cmd: 'false', chdir: dir.path, creates: '*.marker' }, { baseDir: dir.path });
    expect(plan.changes).toEqual([]);
    expect(plan.noopReason).toBe("Did not run command since '*.marker' exists");
    expect(plan.result).toMatchObject({ rc: 0, stdout: 'skipped, since *.marker exists' });
    const { result } = await runTask(command, { cmd: 'false', chdir: dir.path, creates: '*.marker' }, { baseDir: dir.path });
    expect(result).toMatchObject({ changed: false });
  });

  it('skips when removes matches nothing', async () => {
    const plan = await planTask(command, { cmd: 'false', removes: at('nothing-*') }, { baseDir: dir.path });
    expect(plan.changes).toEqual([]);
    expect(plan.noopReason).toBe(`Did not run command since '${at('nothing-*')}' does not exist`);
  });

  it('becomes idempotent with creates, and check mode runs nothing', async () => {
    const params = { argv: ['touch', at('made')], creates: at('made') };
    const checked = await expectCheckLeavesTree(command, params, { baseDir: dir.path });
    expect(checked.changes).toHaveLength(1);
    expect(existsSync(at('made'))).toBe(false);
    expect((await runTask(command, params, { baseDir: dir.path })).result?.changed).toBe(true);
    expect((await planTask(command, params, { baseDir: dir.path })).changes).toEqual([]);
  });

  it('fails before running when chdir does not exist (guarded) or the line cannot be split', async () => {
    expect((await planTask(command, { cmd: 'true', chdir: at('nope'), creates: 'x' }, { baseDir: dir.path })).failed).toBe(`Unable to change directory before execution: ${at('nope')}`);
    expect((await planTask(command, { cmd: "echo 'open" }, { baseDir: dir.path })).failed).toMatch(/unterminated single quote/);
    expect((await planTask(command, { cmd: '   ' }, { baseDir: dir.path })).failed).toBe('no command given');
  });
});
