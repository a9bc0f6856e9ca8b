import { constants } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import { CommandTimeoutError } from '../types.js';

export interface ExecRequest {
  /** The remote command line, already quoted. */
  readonly command: string;
  readonly stdin?: string | Buffer;
  readonly timeoutMs?: number;
  /** For timeout messages. */
  readonly describe: string;
  /** The command (and stdin) that kills process group `pgid` with the same privileges as `command`. */
  readonly killCommand?: (pgid: number) => { command: string; stdin?: string | Buffer };
}

export interface ExecOutcome {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
}

/** sshd refused the session (MaxSessions reached, resource shortage): safe to retry, nothing ran. */
export class ChannelOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChannelOpenError';
  }
}

/** How long a timed-out channel may take to confirm its close before we stop waiting for it. */
const CLOSE_GRACE_MS = 2_000;

/**
 * sshd runs each session's shell with setsid(), so the shell's PID is the process group of everything the
 * command starts. The shell reports it on stderr (the line is cut out again below) and then execs the
 * command, so that a timeout can kill the whole group, grandchildren included, instead of leaving them
 * running on the host. A `signal` request alone would only reach the shell.
 */
const PID_TAG = 'rackplay-pgid:';
/** Usually at offset 0, but a noisy rc file of the login shell may print first. */
const PID_LINE = new RegExp(`(?:^|\\n)(${PID_TAG}(\\d+)\\n)`);
const MAX_SCAN_BYTES = 64 * 1024;

/** Runs one command on its own session channel; output is collected as raw bytes. */
export function execOnce(client: Client, request: ExecRequest): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(`echo ${PID_TAG}$$ >&2; exec ${request.command}`, (error, channel) => {
        if (error) {
          reject(/open failure/i.test(error.message) ? new ChannelOpenError(error.message, { cause: error }) : error);
          return;
        }
        collect(client, channel, request, resolve, reject);
      });
    } catch (error) {
      reject(error); // "Not connected": the caller turns it into UnreachableError
    }
  });
}

function collect(
  client: Client,
  channel: ClientChannel,
  request: ExecRequest,
  resolve: (outcome: ExecOutcome) => void,
  reject: (error: Error) => void,
): void {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  /** stderr up to and including our PID line; scanned until the line is found, then never again. */
  let head = Buffer.alloc(0);
  let pgid: number | undefined;
  let exitCode: number | undefined;
  let timedOut = false;
  channel.on('data', (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => {
    if (pgid !== undefined) {
      stderr.push(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length > MAX_SCAN_BYTES) {
      pgid = 0; // not ours to find any more (no POSIX login shell?); a timeout falls back to a signal
      stderr.push(head);
      head = Buffer.alloc(0);
      return;
    }
    const found = PID_LINE.exec(head.toString('latin1')); // latin1: byte offsets equal string offsets
    if (found === null) return;
    pgid = Number(found[2]);
    const start = found.index + found[0].length - found[1]!.length;
    stderr.push(head.subarray(0, start), head.subarray(start + found[1]!.length));
    head = Buffer.alloc(0);
  });
  channel.on('exit', (code: number | null, signal?: string) => {
    exitCode = code ?? 128 + signalNumber(signal);
  });
  const timer =
    request.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          if (pgid !== undefined && pgid > 0 && request.killCommand !== undefined) killGroup(client, request.killCommand(pgid));
          else if (channel.writable) channel.signal('KILL'); // ssh2 drops signals on a half-closed channel
          channel.close();
          setTimeout(() => channel.emit('close'), CLOSE_GRACE_MS).unref();
        }, request.timeoutMs);
  let settled = false;
  const finish = (): void => {
    if (settled) return;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    if (timedOut) reject(new CommandTimeoutError(request.timeoutMs ?? 0, request.describe));
    else if (exitCode === undefined) reject(new Error(`channel closed without an exit status: ${request.describe}`));
    else resolve({ stdout: Buffer.concat(stdout), stderr: Buffer.concat([...stderr, head]), exitCode });
  };
  // 'close' follows stdout's 'end', but stderr may still hold buffered chunks: wait for both.
  let closed = false;
  let stderrEnded = false;
  channel.stderr.once('end', () => {
    stderrEnded = true;
    if (closed) finish();
  });
  channel.once('close', () => {
    closed = true;
    if (stderrEnded || timedOut || channel.stderr.readableEnded) finish();
    else setTimeout(finish, CLOSE_GRACE_MS).unref();
  });
  channel.on('error', () => {
    // Channel errors surface as a close; the connection-level handler decides whether the host is lost.
  });
  if (request.stdin === undefined) channel.end();
  else channel.end(request.stdin);
}

/** Fire-and-forget: outside the channel pool, since the pool may be full of the very commands to kill. */
function killGroup(client: Client, kill: { command: string; stdin?: string | Buffer }): void {
  try {
    client.exec(kill.command, (error, channel) => {
      if (error) return;
      channel.on('data', () => {});
      channel.stderr.on('data', () => {});
      channel.end(kill.stdin);
    });
  } catch {
    // connection gone: nothing left to kill from here
  }
}

/** `SIGTERM` → 15, as a shell reports 128+n for a signalled child. */
function signalNumber(signal: string | undefined): number {
  if (signal === undefined) return 0;
  const table = constants.signals as Record<string, number | undefined>;
  return table[signal] ?? table[`SIG${signal}`] ?? 0;
}
