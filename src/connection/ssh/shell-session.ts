import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';
import { ChannelOpenError } from './exec.js';
import type { ExecOutcome } from './exec.js';

/**
 * A long-lived `sh` on one session channel that runs framed commands one after another.
 *
 * Why: each exec costs a channel open, a fork in sshd, the login shell and its rc files, and several round
 * trips. A persistent shell pays that once per host. Each command is written as
 *   { COMMAND; } </dev/null; printf 'MARK %d\n' "$?"; printf 'MARK\n' >&2
 * with a fresh random MARK, so its stdout (binary included, newline or not) ends exactly where MARK
 * starts and the exit code follows it. stdin, when given, travels base64-encoded in a here-document and
 * is decoded by coreutils' base64: the target still needs only POSIX sh and coreutils.
 *
 * Commands are pipelined: a caller may write the next one before the previous answered. The shell runs them
 * in order, and none reads the shell's own stdin (each has </dev/null or its here-document), so their
 * outputs come back in order too, each closed by its own mark: many commands cost one round trip.
 */
export class ShellSession {
  private channel: ClientChannel | undefined;
  private stdout = Buffer.alloc(0);
  private stderr = Buffer.alloc(0);
  private readonly pending: { mark: Buffer; resolve: (outcome: ExecOutcome) => void; reject: (error: Error) => void }[] = [];
  private dead: Error | undefined;

  private constructor() {}

  static open(client: Client): Promise<ShellSession> {
    const session = new ShellSession();
    return new Promise((resolve, reject) => {
      try {
        client.exec('exec /bin/sh', (error, channel) => {
          if (error) {
            reject(/open failure/i.test(error.message) ? new ChannelOpenError(error.message, { cause: error }) : error);
            return;
          }
          session.attach(channel);
          resolve(session);
        });
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  get usable(): boolean {
    return this.dead === undefined;
  }

  /** Commands written and not answered yet. */
  get inFlight(): number {
    return this.pending.length;
  }

  run(command: string, stdin?: string | Buffer): Promise<ExecOutcome> {
    if (this.dead !== undefined || this.channel === undefined) return Promise.reject(this.dead ?? new Error('shell session not open'));
    const mark = `rackplay-end-${randomBytes(12).toString('hex')}`;
    return new Promise<ExecOutcome>((resolve, reject) => {
      this.pending.push({ mark: Buffer.from(mark), resolve, reject });
      this.channel!.write(framedScript(command, mark, stdin));
    });
  }

  close(): void {
    this.fail(new Error('shell session closed'));
    this.channel?.end();
  }

  private attach(channel: ClientChannel): void {
    this.channel = channel;
    channel.on('data', (chunk: Buffer) => {
      this.stdout = Buffer.concat([this.stdout, chunk]);
      this.settle();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      this.stderr = Buffer.concat([this.stderr, chunk]);
      this.settle();
    });
    channel.on('close', () => this.fail(new Error('shell session ended before the command finished')));
  }

  /** Completes the oldest commands whose marks both streams carried, in the order they were written. */
  private settle(): void {
    for (;;) {
      const current = this.pending[0];
      if (current === undefined) return;
      const outEnd = this.stdout.indexOf(current.mark);
      if (outEnd < 0) return;
      const newline = this.stdout.indexOf(0x0a, outEnd);
      const errEnd = this.stderr.indexOf(Buffer.concat([current.mark, Buffer.from('\n')]));
      if (newline < 0 || errEnd < 0) return;
      const exitCode = Number(this.stdout.subarray(outEnd + current.mark.length, newline).toString('latin1').trim());
      const outcome = { stdout: this.stdout.subarray(0, outEnd), stderr: this.stderr.subarray(0, errEnd), exitCode };
      this.stdout = this.stdout.subarray(newline + 1);
      this.stderr = this.stderr.subarray(errEnd + current.mark.length + 1);
      this.pending.shift();
      current.resolve(outcome);
    }
  }

  private fail(error: Error): void {
    if (this.dead !== undefined) return;
    this.dead = error;
    for (const current of this.pending.splice(0)) current.reject(error);
  }
}

export function framedScript(command: string, mark: string, stdin?: string | Buffer): string {
  const trailer = `printf '${mark} %d\\n' "$?"; printf '${mark}\\n' >&2\n`;
  // The command is one quoted line (newlines only inside quotes), so the here-document starts right after it.
  if (stdin === undefined || stdin.length === 0) return `{ ${command}; } </dev/null; ${trailer}`;
  const encoded = Buffer.from(stdin).toString('base64').replace(/.{1,76}/g, '$&\n');
  return `base64 -d <<'${mark}' | { ${command}; }; ${trailer}${encoded}${mark}\n`;
}
