import { chmod, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import lineinfile from '../../modules/lineinfile/index.js';
import { planTask, runTask } from './context.js';
import { expectCheckLeavesTree, expectConverges } from './converge.js';
import { useTempDir } from './tree.js';

const dir = useTempDir();
const at = (...parts: string[]) => join(dir.path, ...parts);
const modeOf = async (path: string) => ((await stat(path)).mode & 0o7777).toString(8).padStart(4, '0');

describe('lineinfile on real files', () => {
  it('creates a file (and its folder) with a mode, then finds the line present', async () => {
    const params = { path: at('etc', 'access.list'), line: 'allow admin', create: true, mode: '0640' };
    const { checked, first, second } = await expectConverges(lineinfile, params, { baseDir: dir.path });
    expect(await readFile(at('etc', 'access.list'), 'utf8')).toBe('allow admin\n');
    expect(await modeOf(at('etc', 'access.list'))).toBe('0640');
    expect(checked.diff).toEqual({ path: at('etc', 'access.list'), before: '', after: 'allow admin\n' });
    expect(first.result).toMatchObject({ changed: true, msg: 'line added' });
    expect(second.noopReason).toBe('line is present');
  });

  it('replaces the line a regexp matches, keeps the file mode, and diffs the whole file', async () => {
    await writeFile(at('sshd_config'), 'Port 22\n#PasswordAuthentication yes\nUsePAM yes\n');
    await chmod(at('sshd_config'), 0o600);
    const params = { path: at('sshd_config'), regexp: '^#?PasswordAuthentication ', line: 'PasswordAuthentication no' };
    const { checked } = await expectConverges(lineinfile, params, { baseDir: dir.path });
    const after = 'Port 22\nPasswordAuthentication no\nUsePAM yes\n';
    expect(await readFile(at('sshd_config'), 'utf8')).toBe(after);
    expect(await modeOf(at('sshd_config'))).toBe('0600');
    expect(checked.diff).toEqual({ path: at('sshd_config'), before: 'Port 22\n#PasswordAuthentication yes\nUsePAM yes\n', after });
  });

  it('removes lines with state=absent and reports how many', async () => {
    await writeFile(at('hosts'), '10.0.0.1 a\n10.0.0.2 b\n10.0.0.1 c\n');
    const { first } = await expectConverges(lineinfile, { path: at('hosts'), regexp: '^10\\.0\\.0\\.1 ', state: 'absent' as const }, { baseDir: dir.path });
    expect(first.result).toMatchObject({ changed: true, found: 2, msg: '2 line(s) removed' });
    expect(await readFile(at('hosts'), 'utf8')).toBe('10.0.0.2 b\n');
  });

  it('edits the file a symlink points at, and keeps the link', async () => {
    await mkdir(at('real'));
    await writeFile(at('real', 'app.conf'), 'a=1\n');
    await symlink('real/app.conf', at('app.conf'));
    await expectConverges(lineinfile, { path: at('app.conf'), line: 'b=2' }, { baseDir: dir.path });
    expect(await readlink(at('app.conf'))).toBe('real/app.conf');
    expect(await readFile(at('real', 'app.conf'), 'utf8')).toBe('a=1\nb=2\n');
  });

  it('backs up the previous content', async () => {
    await writeFile(at('conf'), 'old\n');
    const { first } = await expectConverges(lineinfile, { path: at('conf'), line: 'new', backup: true }, { baseDir: dir.path });
    expect(await readFile(first.result?.backup_file as string, 'utf8')).toBe('old\n');
  });

  it('changes only the mode when the line is already there', async () => {
    await writeFile(at('conf'), 'line\n');
    await chmod(at('conf'), 0o644);
    const { checked } = await expectConverges(lineinfile, { path: at('conf'), line: 'line', mode: '0600' }, { baseDir: dir.path });
    expect(checked.changes.map((change) => change.kind)).toEqual(['command']);
    expect(await modeOf(at('conf'))).toBe('0600');
  });

  it('keeps bytes that are not UTF-8 intact on the lines it does not touch', async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    await writeFile(at('legacy'), latin1);
    await runTask(lineinfile, { path: at('legacy'), line: 'added' }, { baseDir: dir.path });
    expect(await readFile(at('legacy'))).toEqual(Buffer.concat([latin1, Buffer.from('added\n')]));
  });

  it('fails on a missing file without create, and leaves the tree alone in check mode', async () => {
    const plan = await expectCheckLeavesTree(lineinfile, { path: at('missing'), line: 'x' }, { baseDir: dir.path });
    expect(plan.failed).toBe(`Destination ${at('missing')} does not exist !`);
    const absent = await planTask(lineinfile, { path: at('missing'), line: 'x', state: 'absent' as const }, { baseDir: dir.path });
    expect(absent).toMatchObject({ changes: [], noopReason: 'file not present' });
  });
});
