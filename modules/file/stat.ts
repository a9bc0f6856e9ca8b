import type { ModuleContext } from '../../src/module/contract.js';
import { normalizeMode, parseStatOutput } from './parse.js';
import type { PathState } from './parse.js';

/**
 * sh function: rackplay_stat PATH CONTENT LIMIT INTO
 *   CONTENT  none | hash | all | <sha256>: with a sha256, the bytes are sent only when the file differs,
 *            so a diff costs nothing on an unchanged file and needs no second round trip on a changed one.
 *   LIMIT    largest content to send in bytes, 0 for no limit.
 *   INTO     when PATH is a folder, look at PATH/INTO instead (copy into a directory).
 * For a file whose content is asked about, it also reports the uid it runs as: only root may hand a
 * replaced file back to its previous owner.
 * Prints key=value lines that parseStatOutput reads, then `--content--` and the raw bytes when asked.
 * Forks are what a no-change run costs the target, so what the shell can tell itself (a non-link's stat is
 * its lstat; the size is stat's last field; the hash is sha256sum's first word) takes none.
 */
const STAT_FUNCTION = String.raw`
rackplay_stat() {
  p=$1
  if [ -n "$4" ] && [ -d "$p" ]; then p="$p/$4"; echo into=1; fi
  if [ ! -e "$p" ] && [ ! -L "$p" ]; then
    echo exists=0
    if [ -d "$(dirname -- "$p")" ]; then echo parent=1; else echo parent=0; fi
    return 0
  fi
  echo exists=1
  l=$(stat -c '%f %u %g %U %G %s' -- "$p") || return 1
  printf 'lstat=%s\n' "$l"
  if [ -L "$p" ]; then
    if [ -e "$p" ]; then
      s=$(stat -L -c '%f %u %g %U %G %s' -- "$p") || return 1
      printf 'stat=%s\n' "$s"
    fi
    printf 'real=%s\n' "$(readlink -f -- "$p")"
    printf 'link=%s\n' "$(readlink -- "$p")"
  else
    s=$l
    printf 'stat=%s\n' "$s"
  fi
  [ -f "$p" ] && [ "$2" != none ] || return 0
  printf 'me=%s\n' "$(id -u)"
  sum=$(sha256sum < "$p")
  sum=${'$'}{sum%% *}
  [ -n "$sum" ] || return 1
  printf 'sha256=%s\n' "$sum"
  case $2 in
    hash|"$sum") return 0 ;;
  esac
  size=${'$'}{s##* }
  if [ "$3" = 0 ] || [ "$size" -le "$3" ]; then printf '%s\n' --content--; cat -- "$p" || return 1; fi
}
`;

/**
 * sh function: rackplay_recurse_differs PATH MODE OWNER GROUP
 * Prints recurse_differs=1 when any entry below PATH differs from the wanted attributes. Modes skip
 * symlinks because chmod -R leaves them alone; owners include them because chown -R changes them.
 */
const RECURSE_FUNCTION = String.raw`
rackplay_recurse_differs() {
  d=0
  if [ -n "$2" ] && [ -n "$(find "$1" -mindepth 1 ! -type l ! -perm "$2" -print | head -n 1)" ]; then d=1; fi
  if [ -n "$3" ] && [ -n "$(find "$1" -mindepth 1 ! -user "$3" -print | head -n 1)" ]; then d=1; fi
  if [ -n "$4" ] && [ -n "$(find "$1" -mindepth 1 ! -group "$4" -print | head -n 1)" ]; then d=1; fi
  echo recurse_differs=$d
}
`;

export interface StatRequest {
  /** What to learn about a regular file beyond its attributes. */
  readonly content?: 'none' | 'hash' | 'all' | { readonly unlessSha256: string };
  /** Largest content to fetch; undefined for no limit. */
  readonly maxContentBytes?: number;
  /** When the path is a folder, stat this entry inside it instead. */
  readonly intoDirectory?: string;
  /** Also check every entry below a folder against these attributes (file recurse=true). */
  readonly recurse?: { readonly mode?: string | number; readonly owner?: string; readonly group?: string };
}

/** Everything a file-like module needs to know about one path, in one round trip. */
export async function statPath(ctx: ModuleContext, path: string, request: StatRequest = {}): Promise<PathState> {
  const content = request.content ?? 'none';
  const args = [
    path,
    typeof content === 'string' ? content : content.unlessSha256,
    String(request.maxContentBytes ?? 0),
    request.intoDirectory ?? '',
  ];
  let script = `${STAT_FUNCTION}\nrackplay_stat "$1" "$2" "$3" "$4" || exit 1\n`;
  const recurse = request.recurse;
  if (recurse !== undefined) {
    script = `${RECURSE_FUNCTION}\n${script}[ -d "$1" ] && [ ! -L "$1" ] && rackplay_recurse_differs "$1" "$5" "$6" "$7"\nexit 0\n`;
    args.push(recurse.mode === undefined ? '' : normalizeMode(recurse.mode), recurse.owner ?? '', recurse.group ?? '');
  }
  const result = await ctx.run(['sh', '-c', script, 'sh', ...args]);
  if (result.exitCode !== 0) throw new Error(`cannot stat ${path}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
  return parseStatOutput(result.stdoutBytes);
}
