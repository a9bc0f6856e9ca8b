export type FileType = 'file' | 'directory' | 'link' | 'other';

/** One `stat -c '%f %u %g %U %G %s'` line, parsed. */
export interface Attributes {
  readonly type: FileType;
  /** Four octal digits, e.g. "0644", so it compares with a normalized `mode` parameter. */
  readonly mode: string;
  readonly uid: string;
  readonly gid: string;
  readonly owner: string;
  readonly group: string;
  readonly size: number;
}

/** What the stat script reports about one path: the link itself and, when it resolves, what it points at. */
export interface PathState {
  readonly exists: boolean;
  /** lstat: a symlink reports type 'link'. */
  readonly self?: Attributes;
  /** stat following links; absent for a missing path or a dangling link. */
  readonly resolved?: Attributes;
  /** readlink, for symlinks. */
  readonly linkTarget?: string;
  /** readlink -f, for symlinks: where a write that keeps the link must go. */
  readonly realPath?: string;
  /** Only reported for a missing path: whether its folder exists. */
  readonly parentExists?: boolean;
  readonly sha256?: string;
  /** The current bytes, when the caller asked for them and they were small enough. */
  readonly content?: Buffer;
  /** The uid the stat ran as, reported for regular files whose content was asked about. */
  readonly runningUid?: string;
  /** Set by a recursive attribute check: some entry below the path differs. */
  readonly recurseDiffers?: boolean;
  /** The path was a folder and the script looked at the named entry inside it (copy into a directory). */
  readonly intoDirectory?: boolean;
}

const CONTENT_MARKER = Buffer.from('--content--\n');

/**
 * Parses the stat script's output: `key=value` lines, then optionally a `--content--` line followed by
 * the file's raw bytes (everything after the marker belongs to the file, so it is kept as bytes).
 */
export function parseStatOutput(output: Buffer): PathState {
  const markerAt = findMarker(output);
  const header = (markerAt === -1 ? output : output.subarray(0, markerAt)).toString('utf8');
  const fields = new Map<string, string>();
  for (const line of header.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) fields.set(line.slice(0, equals), line.slice(equals + 1));
  }
  const optional = (key: string) => fields.get(key);
  const self = optional('lstat');
  const resolved = optional('stat');
  return {
    exists: optional('exists') === '1',
    self: self === undefined ? undefined : parseStatLine(self),
    resolved: resolved === undefined ? undefined : parseStatLine(resolved),
    linkTarget: optional('link'),
    realPath: optional('real'),
    parentExists: fields.has('parent') ? optional('parent') === '1' : undefined,
    sha256: optional('sha256'),
    runningUid: optional('me'),
    content: markerAt === -1 ? undefined : output.subarray(markerAt + CONTENT_MARKER.length),
    recurseDiffers: fields.has('recurse_differs') ? optional('recurse_differs') === '1' : undefined,
    intoDirectory: optional('into') === '1',
  };
}

/** The marker at the start of the output or of a line. */
function findMarker(output: Buffer): number {
  if (output.subarray(0, CONTENT_MARKER.length).equals(CONTENT_MARKER)) return 0;
  const at = output.indexOf(Buffer.concat([Buffer.from('\n'), CONTENT_MARKER]));
  return at === -1 ? -1 : at + 1;
}

/**
 * `41ed 0 0 root root 4096`: the raw mode in hex carries both the kind and the permissions, and unlike
 * `%F` ("regular file") it does not depend on the host's language.
 */
export function parseStatLine(line: string): Attributes {
  const parts = line.trim().split(' ');
  if (parts.length !== 6) throw new Error(`unexpected stat output: ${JSON.stringify(line)}`);
  const [rawMode, uid, gid, owner, group, size] = parts as [string, string, string, string, string, string];
  const raw = Number.parseInt(rawMode, 16);
  return { mode: (raw & 0o7777).toString(8).padStart(4, '0'), uid, gid, owner, group, size: Number(size), type: fileType(raw & 0o170000) };
}

function fileType(kind: number): FileType {
  switch (kind) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'link';
    default:
      return 'other';
  }
}

/** "644", "0644" and "00644" all become "0644"; "1777" stays "1777". */
/** "644", "0644" and the number 420 (an unquoted 0644 in YAML 1.1, as Ansible reads it) are all "0644". */
export function normalizeMode(mode: string | number): string {
  const bits = typeof mode === 'number' ? mode : Number.parseInt(mode, 8);
  return bits.toString(8).padStart(4, '0');
}
