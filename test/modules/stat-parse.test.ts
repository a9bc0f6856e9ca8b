import { describe, expect, it } from 'vitest';
import { parseStatOutput, parseStatLine } from '../../modules/file/parse.js';

// Outputs of the stat script (modules/file/stat.ts) captured on Debian 12, GNU coreutils 9.1.
const captured = {
  fileWithContent: 'exists=1\nlstat=81a4 0 0 root root 6\nstat=81a4 0 0 root root 6\nme=0\nsha256=5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n--content--\nhello\n',
  symlinkToFile: 'exists=1\nlstat=a1ff 0 0 root root 1\nstat=81a4 0 0 root root 6\nreal=/tmp/rp/cap/f\nlink=f\nme=0\nsha256=5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n',
  directory: 'exists=1\nlstat=41ed 0 0 root root 4096\nstat=41ed 0 0 root root 4096\n',
  missingWithoutFolder: 'exists=0\nparent=0\n',
};

describe('stat script output', () => {
  it('a file with its hash and content, kept as bytes after the marker', () => {
    const state = parseStatOutput(Buffer.from(captured.fileWithContent));
    expect(state).toMatchObject({
      exists: true,
      resolved: { type: 'file', mode: '0644', uid: '0', gid: '0', owner: 'root', group: 'root', size: 6 },
      sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
      runningUid: '0',
    });
    expect(state.content?.toString()).toBe('hello\n');
  });

  it('content that itself looks like key=value lines or holds the marker stays content', () => {
    const tricky = 'exists=1\nlstat=81a4 0 0 root root 30\nstat=81a4 0 0 root root 30\nsha256=x\n--content--\nexists=0\n--content--\nlink=evil\n';
    const state = parseStatOutput(Buffer.from(tricky));
    expect(state.exists).toBe(true);
    expect(state.linkTarget).toBeUndefined();
    expect(state.content?.toString()).toBe('exists=0\n--content--\nlink=evil\n');
  });

  it('a symlink: the link itself, what it resolves to, and where', () => {
    expect(parseStatOutput(Buffer.from(captured.symlinkToFile))).toMatchObject({
      self: { type: 'link', mode: '0777' },
      resolved: { type: 'file', mode: '0644' },
      linkTarget: 'f',
      realPath: '/tmp/rp/cap/f',
    });
  });

  it('a directory, and a missing path whose folder is missing too', () => {
    expect(parseStatOutput(Buffer.from(captured.directory)).resolved).toMatchObject({ type: 'directory', mode: '0755' });
    expect(parseStatOutput(Buffer.from(captured.missingWithoutFolder))).toMatchObject({ exists: false, parentExists: false });
  });

  it.each([
    ['81a4 0 0 root root 6', { type: 'file', mode: '0644' }],
    ['43ff 0 0 root root 4096', { type: 'directory', mode: '1777' }],
    ['89ed 1000 1000 app app 10', { type: 'file', mode: '4755', uid: '1000', owner: 'app' }],
    ['2190 0 5 root tty 0', { type: 'other', mode: '0620' }],
  ])('stat line %j', (line, expected) => {
    expect(parseStatLine(line)).toMatchObject(expected);
  });
});
