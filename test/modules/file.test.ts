import { lstat, mkdir, readlink, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import file from '../../modules/file/index.js';
import { planTask, runTask } from './context.js';
import { expectCheckLeavesTree, expectConverges } from './converge.js';
import { useTempDir } from './tree.js';

const dir = useTempDir();
const at = (...parts: string[]) => join(dir.path, ...parts);
const modeOf = async (path: string) => ((await stat(path)).mode & 0o7777).toString(8).padStart(4, '0');
const isRoot = process.getuid?.() === 0;

describe('file state=directory', () => {
  it('creates nested folders with a mode and diffs the state', async () => {
    const { checked, first } = await expectConverges(file, { path: at('a', 'b'), state: 'directory', mode: '0750' }, { baseDir: dir.path });
    expect((await stat(at('a', 'b'))).isDirectory()).toBe(true);
    expect(await modeOf(at('a', 'b'))).toBe('0750');
    expect(checked.diff).toEqual({ path: at('a', 'b'), before: 'state: absent\n', after: 'state: directory\nmode: 0750\n' });
    expect(first.result).toMatchObject({ changed: true, path: at('a', 'b'), state: 'directory' });
  });

  it('only changes the mode of an existing folder, and says why it does nothing after', async () => {
    await mkdir(at('d'), { mode: 0o755 });
    await chmod(at('d'), 0o755);
    const { checked, second } = await expectConverges(file, { path: at('d'), state: 'directory', mode: '0700' }, { baseDir: dir.path });
    expect(checked.changes).toEqual([expect.objectContaining({ argv: ['chmod', '0700', '--', at('d')] })]);
    expect(checked.diff).toEqual({ path: at('d'), before: 'state: directory\nmode: 0755\n', after: 'state: directory\nmode: 0700\n' });
    expect(second.noopReason).toContain('directory');
  });

  it('with recurse, applies the mode below too, and notices one entry that drifts', async () => {
    await mkdir(at('tree', 'sub'), { recursive: true });
    await writeFile(at('tree', 'sub', 'f'), 'x');
    await chmod(at('tree'), 0o700);
    await chmod(at('tree', 'sub'), 0o700);
    await chmod(at('tree', 'sub', 'f'), 0o700);
    await chmod(at('tree'), 0o755);
    const params = { path: at('tree'), state: 'directory' as const, mode: '0755', recurse: true };
    await expectConverges(file, params, { baseDir: dir.path });
    expect(await modeOf(at('tree', 'sub', 'f'))).toBe('0755');
    await chmod(at('tree', 'sub', 'f'), 0o600);
    const drifted = await planTask(file, params, { baseDir: dir.path });
    expect(drifted.changes).toEqual([expect.objectContaining({ argv: ['chmod', '-R', '0755', '--', at('tree')] })]);
  });

  it('refuses to turn a file into a folder', async () => {
    await writeFile(at('f'), '');
    expect((await planTask(file, { path: at('f'), state: 'directory' }, { baseDir: dir.path })).failed).toBe(`${at('f')} already exists as a file`);
  });

  it('follows a symlink to a folder', async () => {
    await mkdir(at('real'));
    await symlink('real', at('alias'));
    const plan = await planTask(file, { path: at('alias'), state: 'directory' }, { baseDir: dir.path });
    expect(plan.failed).toBeUndefined();
    expect(plan.changes).toEqual([]);
  });
});

describe('file state=absent', () => {
  it('removes a tree recursively, then has nothing to do', async () => {
    await mkdir(at('gone', 'deep'), { recursive: true });
    await writeFile(at('gone', 'deep', 'f'), 'x');
    const { checked, second } = await expectConverges(file, { path: at('gone'), state: 'absent' }, { baseDir: dir.path });
    expect(existsSync(at('gone'))).toBe(false);
    expect(checked.diff).toEqual({ path: at('gone'), before: 'state: directory\n', after: 'state: absent\n' });
    expect(second.noopReason).toBe(`${at('gone')} is absent`);
  });

  it('removes a symlink, not what it points at', async () => {
    await writeFile(at('target'), 'keep');
    await symlink('target', at('link'));
    await expectConverges(file, { path: at('link'), state: 'absent' }, { baseDir: dir.path });
    expect(existsSync(at('target'))).toBe(true);
  });
});

describe('file state=file', () => {
  it('fails on a missing path, as Ansible does', async () => {
    const plan = await expectCheckLeavesTree(file, { path: at('missing'), state: 'file' }, { baseDir: dir.path });
    expect(plan.failed).toBe(`file (${at('missing')}) is absent, cannot continue; use state=touch to create it`);
  });

  it('sets the mode of an existing file; without state an existing path keeps its kind', async () => {
    await writeFile(at('f'), 'x');
    await chmod(at('f'), 0o644);
    await expectConverges(file, { path: at('f'), mode: '0600' }, { baseDir: dir.path });
    expect(await modeOf(at('f'))).toBe('0600');
  });

  it('accepts dest and name as aliases of path', async () => {
    await writeFile(at('f'), 'x');
    await chmod(at('f'), 0o644);
    expect((await planTask(file, { dest: at('f'), state: 'file', mode: '0644' }, { baseDir: dir.path })).changes).toEqual([]);
    expect((await planTask(file, { name: at('f'), state: 'file', mode: '0644' }, { baseDir: dir.path })).changes).toEqual([]);
  });

  it.skipIf(!isRoot)('sets the owner and group by name', async () => {
    await writeFile(at('owned'), 'x');
    await expectConverges(file, { path: at('owned'), owner: 'nobody', group: 'daemon' }, { baseDir: dir.path });
    expect(await stat(at('owned'))).toMatchObject({ uid: 65534, gid: 1 });
  });
});

describe('file state=touch', () => {
  it('creates an empty file with a mode, and is always changed (Ansible semantics)', async () => {
    const params = { path: at('stamp'), state: 'touch' as const, mode: '0600' };
    const before = await expectCheckLeavesTree(file, params, { baseDir: dir.path });
    expect(before.diff).toEqual({ path: at('stamp'), before: 'state: absent\n', after: 'state: touch\nmode: 0600\n' });
    const first = await runTask(file, params, { baseDir: dir.path });
    expect(first.result?.changed).toBe(true);
    expect(await modeOf(at('stamp'))).toBe('0600');
    const again = await planTask(file, params, { baseDir: dir.path });
    expect(again.changes).toEqual([expect.objectContaining({ argv: ['touch', '--', at('stamp')] })]);
  });

  it('leaves the tree untouched in check mode, times included', async () => {
    await writeFile(at('old'), 'x');
    await expectCheckLeavesTree(file, { path: at('old'), state: 'touch' }, { baseDir: dir.path });
  });
});

describe('file state=link', () => {
  it('creates a symlink, then compares its target', async () => {
    await mkdir(at('releases', '42'), { recursive: true });
    const params = { path: at('current'), state: 'link' as const, src: 'releases/42' };
    const { checked } = await expectConverges(file, params, { baseDir: dir.path });
    expect(await readlink(at('current'))).toBe('releases/42');
    expect(checked.diff).toEqual({ path: at('current'), before: 'state: absent\n', after: 'state: link\nsrc: releases/42\n' });
  });

  it('repoints an existing link, even one to a folder', async () => {
    await mkdir(at('v1'));
    await mkdir(at('v2'));
    await symlink('v1', at('current'));
    const { checked } = await expectConverges(file, { path: at('current'), state: 'link', src: 'v2' }, { baseDir: dir.path });
    expect(await readlink(at('current'))).toBe('v2');
    expect(existsSync(at('v1', 'v2'))).toBe(false);
    expect(checked.diff).toEqual({ path: at('current'), before: 'state: link\nsrc: v1\n', after: 'state: link\nsrc: v2\n' });
  });

  it('refuses to replace a file unless force=true', async () => {
    await writeFile(at('plain'), 'x');
    expect((await planTask(file, { path: at('plain'), state: 'link', src: '/etc/hostname' }, { baseDir: dir.path })).failed).toMatch(/refusing to convert from file to symlink/);
    await expectConverges(file, { path: at('plain'), state: 'link', src: '/etc/hostname', force: true }, { baseDir: dir.path });
    expect((await lstat(at('plain'))).isSymbolicLink()).toBe(true);
  });

  it('needs src for a new link', async () => {
    expect((await planTask(file, { path: at('l'), state: 'link' }, { baseDir: dir.path })).failed).toBe('src is required for creating new symlinks');
  });
});
