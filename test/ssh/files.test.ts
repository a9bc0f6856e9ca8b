import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh, type SshConnection } from '../../src/connection/ssh/index.js';
import { startSshLab, type SshLab } from '../lab/ssh-lab.js';
import { labTarget } from '../lab/ssh-target.js';

describe('SshConnection put/get against a real sshd', () => {
  let lab: SshLab;
  let ssh: SshConnection;
  let dir: string;

  beforeAll(async () => {
    lab = await startSshLab();
    ssh = await openSsh(labTarget(lab), 'lab');
    dir = (await ssh.run(['mktemp', '-d'])).stdout.trim();
  });
  afterAll(async () => {
    if (dir !== undefined) await ssh?.run(['rm', '-rf', '--', dir]);
    await ssh?.close();
    await lab?.stop();
  });

  const stat = async (path: string): Promise<string> => (await ssh.run(['stat', '-c', '%a %i %s', path])).stdout.trim();
  const leftovers = async (): Promise<string> => (await ssh.run({ script: `ls -A ${dir} | grep rackplay- || true` })).stdout;

  it('writes binary content atomically (new inode) with the requested mode, leaving no temp file', async () => {
    const path = `${dir}/blob.bin`;
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    await ssh.put('first version\n', path, { mode: '0600' });
    const [, inodeBefore] = (await stat(path)).split(' ');
    await ssh.put(bytes, path, { mode: '0640' });
    const [mode, inodeAfter, size] = (await stat(path)).split(' ');
    expect(mode).toBe('640');
    expect(size).toBe('4096');
    expect(inodeAfter).not.toBe(inodeBefore); // replaced by rename, never rewritten in place
    expect((await ssh.get(path)).equals(bytes)).toBe(true);
    expect(await leftovers()).toBe('');
  });

  it('keeps the mode of the file it replaces, and uses 0644 for a new one', async () => {
    const path = `${dir}/keep-mode`;
    await ssh.put('a', path);
    expect((await stat(path)).split(' ')[0]).toBe('644');
    await ssh.run(['chmod', '0755', path]);
    await ssh.put('b', path);
    expect((await stat(path)).split(' ')[0]).toBe('755');
  });

  it('gets every byte value back unchanged', async () => {
    const path = `${dir}/all-bytes`;
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await ssh.put(bytes, path);
    expect((await ssh.get(path)).equals(bytes)).toBe(true);
  });

  it('fails clearly and cleans up when the destination cannot be written', async () => {
    await expect(ssh.put('x', `${dir}/missing-dir/file`)).rejects.toThrow(/missing-dir/);
    await expect(ssh.get(`${dir}/absent`)).rejects.toThrow(/No such file/);
    await ssh.run(['mkdir', `${dir}/ro`]);
    await ssh.run(['chmod', '0555', `${dir}/ro`]);
    await expect(ssh.put('x', `${dir}/ro/file`)).rejects.toThrow(/Permission denied/);
    expect(await leftovers()).toBe('');
  });
});
