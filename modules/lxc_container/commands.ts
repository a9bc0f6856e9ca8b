import type { Change } from '../../src/module/contract.js';
import type { LxcContainerParamsFromSchema } from './params.generated.js';

export type LxcContainerParams = LxcContainerParamsFromSchema;

/** The container's address for every lxc-* tool: its folder and name. */
export function target(lxcPath: string, name: string): string[] {
  return ['-P', lxcPath, '-n', name];
}

/** PATH inside the container for lxc-attach --clear-env: the controller's or the login's PATH means nothing there. */
const CONTAINER_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function attachArgv(lxcPath: string, name: string, command: readonly string[]): string[] {
  return ['lxc-attach', ...target(lxcPath, name), '--clear-env', '--set-var', CONTAINER_PATH, '--', ...command];
}

/** lxc-create's backing store options, those that match the store only (the schema refuses the others). */
function backingStoreOptions(params: LxcContainerParams): string[] {
  const store = params.backing_store ?? 'dir';
  const options: [string, string | undefined][] = [
    ['--dir', store === 'dir' ? params.directory : undefined],
    ['--lvname', store === 'lvm' ? params.lv_name : undefined],
    ['--vgname', store === 'lvm' ? params.vg_name : undefined],
    ['--thinpool', store === 'lvm' ? params.thinpool : undefined],
    ['--fstype', store === 'lvm' || store === 'loop' ? params.fs_type : undefined],
    ['--fssize', store === 'lvm' || store === 'loop' ? params.fs_size : undefined],
    ['--zfsroot', store === 'zfs' ? params.zfs_root : undefined],
  ];
  return options.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}

export function createChange(params: LxcContainerParams, lxcPath: string, template: string): Change {
  const options = params.template_options ?? [];
  return {
    kind: 'command',
    argv: [
      'lxc-create',
      ...target(lxcPath, params.name),
      '-t',
      template,
      '-B',
      params.backing_store ?? 'dir',
      ...backingStoreOptions(params),
      '-l',
      'ERROR',
      ...(options.length > 0 ? ['--', ...options] : []),
    ],
    description: `create container ${params.name} from template ${template}`,
  };
}

export function cloneChange(params: LxcContainerParams, lxcPath: string, source: string): Change {
  return {
    kind: 'command',
    argv: [
      'lxc-copy',
      '-P',
      lxcPath,
      '-n',
      source,
      '-N',
      params.name,
      ...(params.clone_snapshot === true ? ['-s'] : []),
      ...(params.backing_store === undefined ? [] : ['-B', params.backing_store]),
      '-l',
      'ERROR',
    ],
    description: `create container ${params.name} as a ${params.clone_snapshot === true ? 'snapshot ' : ''}clone of ${source}`,
  };
}

/** True for the change that makes the container exist: after it, apply reads the new container and plans the rest. */
export function isCreation(change: Change): boolean {
  return change.kind === 'command' && (change.argv[0] === 'lxc-create' || change.argv[0] === 'lxc-copy');
}

/**
 * lxc-start daemonizes: its own stderr only says the container "failed to start". The reason (a bridge that does
 * not exist, a mount that fails…) goes to its log, so the log is kept in a temp file and printed on failure.
 */
const START_SCRIPT = [
  'log=$(mktemp) || exit 1',
  'lxc-start -P "$1" -n "$2" -l ERROR -o "$log" 2>/dev/null',
  'rc=$?',
  `if [ "$rc" -ne 0 ]; then sed 's/^lxc-start [^ ]* [0-9.]* ERROR *//' "$log" >&2; fi`,
  'rm -f -- "$log"',
  'exit "$rc"',
].join('\n');

export function startChange(lxcPath: string, name: string, description = `start ${name}`): Change {
  return { kind: 'script', script: START_SCRIPT, args: [lxcPath, name], description };
}

export function isStart(change: Change): boolean {
  return change.kind === 'script' && change.script === START_SCRIPT;
}

const WAIT_SCRIPT = 'lxc-wait -P "$1" -n "$2" -s "$3" -t "$4" || { echo "container $2 did not reach $3 within $4 s" >&2; exit 1; }';

/** lxc-wait with a timeout: the only way this module waits (no sleep loop). */
export function waitChange(lxcPath: string, name: string, state: 'RUNNING' | 'STOPPED' | 'FROZEN', timeout: number): Change {
  return { kind: 'script', script: WAIT_SCRIPT, args: [lxcPath, name, state, String(timeout)], description: `wait until ${name} is ${state} (lxc-wait, up to ${timeout} s)` };
}

/**
 * Writes the config file atomically (a copy keeps mode and owner, its content is replaced, then renamed over the
 * file), keeps the previous file as a backup, and lets LXC load the new one (lxc-info parses the whole file). When
 * LXC rejects it, the backup is renamed back and LXC's message is the error. The new content comes on stdin.
 */
const WRITE_CONFIG_SCRIPT = [
  'cfg=$1; bak="$cfg.rackplay-bak"; new="$cfg.rackplay-new"',
  'cp -p -- "$cfg" "$bak" && cp -p -- "$cfg" "$new" && cat > "$new" && mv -f -- "$new" "$cfg" || { rm -f -- "$new" "$bak"; exit 1; }',
  'if err=$(lxc-info -P "$2" -n "$3" -s -l ERROR 2>&1 >/dev/null); then rm -f -- "$bak"; exit 0; fi',
  'mv -f -- "$bak" "$cfg"',
  'printf "LXC rejected the new config of %s; the previous config file was restored:\\n%s\\n" "$3" "$err" >&2',
  'exit 1',
].join('\n');

export function writeConfigChange(configPath: string, lxcPath: string, name: string, content: string, keys: readonly string[]): Change {
  return {
    kind: 'script',
    script: WRITE_CONFIG_SCRIPT,
    args: [configPath, lxcPath, name],
    stdin: content,
    description: `set ${keys.length === 0 ? 'config' : keys.join(', ')} in ${configPath}`,
  };
}

/** `sh -c 'test -e "$1"'` inside the container: the shell's own test, no /usr/bin/test needed there. */
export function existsInsideArgv(lxcPath: string, name: string, path: string): string[] {
  return attachArgv(lxcPath, name, ['/bin/sh', '-c', 'test -e "$1"', 'sh', path]);
}

const COMMAND_UNLESS_CREATES_SCRIPT = [
  'p=$1; s=$2; shift 2',
  'if "$@" /bin/sh -c \'test -e "$1"\' sh "$p"; then echo "skipped: $p exists in the container"; exit 0; fi',
  'exec "$@" /bin/sh -c "$s"',
].join('\n');

/** The change that writes the config file: apply keeps the file it replaces, to put it back if LXC cannot start with the new one. */
export function isConfigWrite(change: Change): boolean {
  return change.kind === 'script' && change.script === WRITE_CONFIG_SCRIPT;
}

/** Runs container_command; with creates, checks inside the container first (for a container that was not running at gather). */
export function commandChange(lxcPath: string, name: string, script: string, creates: string | undefined): Change {
  if (creates === undefined) return { kind: 'command', argv: attachArgv(lxcPath, name, ['/bin/sh', '-c', script]), description: `run container_command in ${name}` };
  return {
    kind: 'script',
    script: COMMAND_UNLESS_CREATES_SCRIPT,
    args: [creates, script, ...attachArgv(lxcPath, name, [])],
    description: `run container_command in ${name} unless ${creates} exists`,
  };
}

const ARCHIVE_SCRIPT = [
  'tmp="$2.rackplay-tmp"',
  'if tar --numeric-owner -C "$1" ${3:+"$3"} -cf "$tmp" . ; then mv -f -- "$tmp" "$2"; else rc=$?; rm -f -- "$tmp"; exit $rc; fi',
].join('\n');

const COMPRESSION_FLAG: Readonly<Record<string, string>> = { gzip: '-z', bzip2: '-j', none: '' };

/** A tarball of the rootfs written to a temp name then renamed: a failed run leaves no half archive at path. */
export function archiveChange(rootfs: string, path: string, compression: 'gzip' | 'bzip2' | 'none'): Change {
  return { kind: 'script', script: ARCHIVE_SCRIPT, args: [rootfs, path, COMPRESSION_FLAG[compression] ?? ''], description: `archive ${rootfs} to ${path} (${compression})` };
}

/** The change that runs container_command: apply returns its output. */
export function isContainerCommand(change: Change): boolean {
  return (change.kind === 'command' && change.argv[0] === 'lxc-attach') || (change.kind === 'script' && change.script === COMMAND_UNLESS_CREATES_SCRIPT);
}
