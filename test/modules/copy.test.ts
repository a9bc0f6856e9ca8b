import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import copy from '../../modules/copy/index.js';
import type { FileDiff } from '../../src/module/contract.js';
import { planTask, runTask } from './context.js';
import { expectCheckLeavesTree, expectConverges } from './converge.js';
import { useTempDir } from './tree.js';

const dir = useTempDir();
const at = (...parts: string[]) => join(dir.path, ...parts);
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const modeOf = async (path: string) => ((await stat(path)).mode & 0o7777).toString(8).padStart(4, '0');
const asList = (diff: FileDiff | readonly FileDiff[] | undefined): readonly FileDiff[] => (diff === undefined ? [] : Array.isArray(diff) ? diff : [diff as FileDiff]);
const isRoot = process.getuid?.() === 0;

describe('copy', () => {
  it('writes inline content with a mode, converges, and diffs from nothing', async () => {
    const params = { content: 'port=8080\n', dest: at('port.conf'), mode: '0640' };
    const { checked, first } = await expectConverges(copy, params, { baseDir: dir.path });
    expect(await readFile(at('port.conf'), 'utf8')).toBe('port=8080\n');
    expect(await modeOf(at('port.conf'))).toBe('0640');
    expect(first.result).toMatchObject({ changed: true, dest: at('port.conf'), checksum: sha256('port=8080\n') });
    expect(checked.diff).toEqual({ path: at('port.conf'), before: '', after: 'port=8080\n' });
  });

  it('shows the old content in the diff, fetched in the same round trip', async () => {
    await writeFile(at('motd'), 'old\n');
    const plan = await expectCheckLeavesTree(copy, { content: 'new\n', dest: at('motd') }, { baseDir: dir.path });
    expect(plan.diff).toEqual({ path: at('motd'), before: 'old\n', after: 'new\n' });
  });

  it('does not fetch the old content without --diff', async () => {
    await writeFile(at('motd'), 'old\n');
    const plan = await planTask(copy, { content: 'new\n', dest: at('motd') }, { baseDir: dir.path, diff: false });
    expect(asList(plan.diff)[0]?.before).toBe('(4 bytes, not shown)\n');
  });

  it('keeps the mode of a file it replaces when no mode is given', async () => {
    await writeFile(at('keep'), 'old\n');
    await chmod(at('keep'), 0o600);
    await expectConverges(copy, { content: 'new\n', dest: at('keep') }, { baseDir: dir.path });
    expect(await modeOf(at('keep'))).toBe('0600');
  });

  it('changes only the mode when the content already matches', async () => {
    await writeFile(at('same'), 'same\n');
    await chmod(at('same'), 0o644);
    const { checked } = await expectConverges(copy, { content: 'same\n', dest: at('same'), mode: '600' }, { baseDir: dir.path });
    expect(checked.changes.map((change) => change.kind)).toEqual(['command']);
    expect(checked.diff).toEqual({ path: at('same'), before: 'mode: 0644\n', after: 'mode: 0600\n' });
    expect(await modeOf(at('same'))).toBe('0600');
  });

  it('backs up the previous file and reports backup_file', async () => {
    await writeFile(at('app.conf'), 'v1\n');
    const { first } = await expectConverges(copy, { content: 'v2\n', dest: at('app.conf'), backup: true }, { baseDir: dir.path });
    const backup = first.result?.backup_file as string;
    expect(backup).toMatch(/app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(await readFile(backup, 'utf8')).toBe('v1\n');
    expect(await readFile(at('app.conf'), 'utf8')).toBe('v2\n');
  });

  it('with force=false leaves an existing file alone', async () => {
    await writeFile(at('local.conf'), 'edited by hand\n');
    const plan = await planTask(copy, { content: 'default\n', dest: at('local.conf'), force: false }, { baseDir: dir.path });
    expect(plan.changes).toEqual([]);
    expect(plan.noopReason).toContain('force is false');
  });

  it('copies a controller file from files/, into a destination folder under its own name', async () => {
    await mkdir(at('files'));
    await mkdir(at('etc'));
    await writeFile(at('files', 'motd'), 'welcome\n');
    const { first } = await expectConverges(copy, { src: 'motd', dest: at('etc') }, { baseDir: dir.path });
    expect(first.result?.dest).toBe(at('etc', 'motd'));
    expect(await readFile(at('etc', 'motd'), 'utf8')).toBe('welcome\n');
  });

  it('copies binary content byte for byte, and does not print it in a diff', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 0]);
    await writeFile(at('blob.bin'), bytes);
    const { checked } = await expectConverges(copy, { src: 'blob.bin', dest: at('copy.bin') }, { baseDir: dir.path });
    expect(await readFile(at('copy.bin'))).toEqual(bytes);
    expect(asList(checked.diff)[0]?.after).toBe('(binary content, 7 bytes)\n');
  });

  it('replaces a symlink at dest with the file, as Ansible does by default', async () => {
    await writeFile(at('target'), 'target\n');
    await symlink('target', at('link'));
    await expectConverges(copy, { content: 'replaced\n', dest: at('link') }, { baseDir: dir.path });
    expect((await stat(at('target'))).isFile()).toBe(true);
    expect(await readFile(at('target'), 'utf8')).toBe('target\n');
    expect(await readFile(at('link'), 'utf8')).toBe('replaced\n');
  });

  it('fails clearly on content into a folder and on a missing src', async () => {
    await mkdir(at('folder'));
    expect((await planTask(copy, { content: 'x', dest: at('folder') }, { baseDir: dir.path })).failed).toContain('can not use content with a dir as dest');
    await expect(planTask(copy, { src: 'nope', dest: at('x') }, { baseDir: dir.path })).rejects.toThrow(/could not find src nope/);
  });

  it('predicts a change into a missing folder under --check (an earlier task may create it), and fails when applied', async () => {
    const params = { content: 'x', dest: at('missing', 'file') };
    const plan = await expectCheckLeavesTree(copy, params, { baseDir: dir.path });
    expect(plan.failed).toBeUndefined();
    expect(plan.changes.length).toBeGreaterThan(0);
    await expect(runTask(copy, params, { baseDir: dir.path })).rejects.toThrow(`Destination directory ${at('missing')} does not exist`);
  });

  it('writes exactly one file and no temp files beside it', async () => {
    await runTask(copy, { content: 'x\n', dest: at('only') }, { baseDir: dir.path });
    expect(await readdir(dir.path)).toEqual(['only']);
  });

  it.skipIf(!isRoot)('sets owner and group by name or id, and keeps them on the next write', async () => {
    await expectConverges(copy, { content: 'a\n', dest: at('owned'), owner: 'nobody', group: '1' }, { baseDir: dir.path });
    expect(await stat(at('owned'))).toMatchObject({ uid: 65534, gid: 1 });
    await runTask(copy, { content: 'b\n', dest: at('owned') }, { baseDir: dir.path });
    expect(await stat(at('owned'))).toMatchObject({ uid: 65534, gid: 1 });
  });
});
