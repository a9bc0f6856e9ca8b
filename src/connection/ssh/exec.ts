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

/** Runs one command on its own session channel; output is collected as raw bytes. */
export function execOnce(client: Client, request: ExecRequest): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(request.command, (error, channel) => {
        if (error) {
          reject(/open failure/i.test(error.message) ? new ChannelOpenError(error.message, { cause: error }) : error);
          return;
        }
        collect(channel, request, resolve, reject);
      });
    } catch (error) {
      reject(error); // "Not connected": the caller turns it into UnreachableError
    }
  });
}

function collect(
  channel: ClientChannel,
  request: ExecRequest,
  resolve: (outcome: ExecOutcome) => void,
  reject: (error: Error) => void,
): void {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let exitCode: number | undefined;
  let timedOut = false;
  channel.on('data', (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  channel.on('exit', (code: number | null, signal?: string) => {
    exitCode = code ?? 128 + signalNumber(signal);
  });
  const timer =
    request.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          // Without a kill, sshd keeps the session (and its MaxSessions slot) until the command exits.
          try {
            channel.signal('KILL');
          } catch {
            // the server may not support signal requests; closing still detaches us
          }
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
    else resolve({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitCode });
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

/** `SIGTERM` → 15, as a shell reports 128+n for a signalled child. */
function signalNumber(signal: string | undefined): number {
  if (signal === undefined) return 0;
  const table = constants.signals as Record<string, number | undefined>;
  return table[signal] ?? table[`SIG${signal}`] ?? 0;
}
