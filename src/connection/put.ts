import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { quoteArgv, quoteWord } from './quote.js';
import type { PutOptions, RunOptions, RunResult } from './types.js';
import { StaleFileError } from './types.js';

/** sysexits' EX_TEMPFAIL: the destination changed since it was read; the caller reads it again. */
const STALE_EXIT = 75;

/**
 * The sh script that installs stdin at `path`, atomic end to end: the bytes go to a temp file beside the
 * destination, whose sha256 must equal the content's (a transfer cut short by kill -9, SIGTERM or a lost
 * connection leaves a short temp file, never a short destination), get their mode and owner, are flushed
 * to disk, and only then renamed over the destination. On any failure the temp file is removed.
 *
 * With `expectedSha256` the rename happens only while the destination still holds what was read (null: while
 * it does not exist), checked under an advisory lock (flock, where the target has it) on its folder, so that concurrent
 * read-modify-write edits (lineinfile from two runs) cannot lose each other's lines.
 */
export function putScript(path: string, content: string | Buffer, options: PutOptions = {}): string {
  const temp = join(dirname(path), `.${basename(path)}.rackplay-${randomBytes(6).toString('hex')}`);
  const sha256 = createHash('sha256').update(content).digest('hex');
  const t = quoteWord(temp);
  const p = quoteWord(path);
  const steps = ['umask 077', `cat > ${t}`, `sum=$(sha256sum < ${t})`, `[ "\${sum%% *}" = ${sha256} ]`];
  if (options.mode !== undefined) steps.push(quoteArgv(['chmod', '--', options.mode, temp]));
  else steps.push(`{ if [ -e ${p} ]; then chmod --reference=${p} -- ${t}; else chmod 0644 -- ${t}; fi; }`);
  if (options.owner !== undefined || options.group !== undefined) {
    const spec = `${options.owner ?? ''}${options.group !== undefined ? `:${options.group}` : ''}`;
    steps.push(quoteArgv(['chown', '--', spec, temp]));
  }
  // GNU sync flushes just the named file; a sync without file operands (busybox) flushes everything.
  steps.push(`{ sync -- ${t} 2>/dev/null || sync; }`);
  const install = quoteArgv(['mv', '-f', '--', temp, path]);
  if (options.expectedSha256 === undefined) steps.push(install);
  else {
    const unchanged =
      options.expectedSha256 === null
        ? `[ ! -e ${p} ]`
        : `now=$(sha256sum < ${p} 2>/dev/null) && [ "\${now%% *}" = ${options.expectedSha256} ]`;
    const stale = `{ echo 'rackplay: ${path.replaceAll("'", '')} changed since it was read' >&2; rm -f -- ${t}; exit ${STALE_EXIT}; }`;
    // A target without flock(1) (a minimal busybox) still gets the check, only without the lock around it.
    const lock = '{ ! command -v flock >/dev/null 2>&1 || flock -w 60 9; }';
    steps.push(`{ ${lock} && { ${unchanged} || ${stale}; } && ${install}; } 9< ${quoteWord(dirname(path))}`);
  }
  return `${steps.join(' && ')} || { rm -f -- ${t}; exit 1; }`;
}

/** Runs putScript through a connection's run; a stale destination becomes StaleFileError. */
export async function runPut(
  run: (script: { script: string }, options: RunOptions) => Promise<RunResult>,
  content: string | Buffer,
  path: string,
  options: PutOptions,
): Promise<void> {
  const result = await run({ script: putScript(path, content, options) }, { stdin: content, become: options.become });
  if (result.exitCode === STALE_EXIT) throw new StaleFileError(path);
  if (result.exitCode !== 0) throw new Error(result.stderr.trim() || `writing ${path} failed with exit ${result.exitCode}`);
}
