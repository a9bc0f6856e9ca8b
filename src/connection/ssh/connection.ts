import type { BecomeOptions, CommandSpec, Connection, PutOptions, RunOptions, RunResult } from '../types.js';
import { UnreachableError } from '../types.js';
import { runPut } from '../put.js';
import { describeCommand, quoteArgv, wrapCommand } from '../quote.js';
import { ChannelPool } from './channel-pool.js';
import { connectClient, type ClientHandle } from './connect.js';
import { ChannelOpenError, execOnce, type ExecOutcome, type ExecRequest } from './exec.js';
import { ShellSession } from './shell-session.js';
import { describeTarget, SSH_DEFAULTS, type SshTarget } from './target.js';

/** Persistent shells per connection; tasks on one host run one after another, so two are plenty. */
const SHELLS_PER_CONNECTION = 2;
/** Commands written ahead into one shell (gathers read ahead, src/run/gather-ahead.ts) before callers wait. */
const PIPELINE_DEPTH = 16;

/**
 * Waits before retrying a refused channel open (sshd over MaxSessions: a pool configured above it, another
 * client on the same login, a killed command's session not yet reaped): 10 ms doubling to 250 ms, ~30 s total.
 */
function openRetryDelay(attempt: number): number | undefined {
  return attempt < 125 ? Math.min(10 * 2 ** attempt, 250) : undefined;
}

/** One persistent, authenticated SSH connection to a host; every command runs on its own channel. */
export class SshConnection implements Connection {
  readonly kind = 'ssh' as const;
  private readonly pool: ChannelPool;
  private readonly shellSlots: ChannelPool | undefined;
  private readonly shells: ShellSession[] = [];
  private readonly openingShells = new Set<Promise<ShellSession | undefined>>();
  private readonly shellCount: number;
  private lost: UnreachableError | undefined;
  private closed = false;
  private socketClosed = false;
  private readonly inflight = new Set<(error: UnreachableError) => void>();

  private constructor(
    private readonly handle: ClientHandle,
    readonly target: SshTarget,
    readonly alias: string,
  ) {
    const channels = target.maxChannels ?? SSH_DEFAULTS.maxChannels;
    // Shells keep their channels open, so they come out of the channel budget that stays below MaxSessions.
    const shells = target.persistentShell === false ? 0 : Math.min(SHELLS_PER_CONNECTION, channels - 1);
    this.shellSlots = shells > 0 ? new ChannelPool(shells * PIPELINE_DEPTH) : undefined;
    this.shellCount = shells;
    this.pool = new ChannelPool(channels - shells);
    const onLost = (reason: string): void => this.markLost(reason);
    handle.client.on('error', (error: Error) => onLost(error.message));
    handle.client.on('close', () => {
      this.socketClosed = true;
      onLost('connection closed');
    });
  }

  /** Still connected: not lost, not closed (a kept connection is reused only then). */
  get alive(): boolean {
    return this.lost === undefined && !this.closed;
  }

  static async open(target: SshTarget, alias: string): Promise<SshConnection> {
    return new SshConnection(await connectClient(target, alias), target, alias);
  }

  async run(command: CommandSpec, options: RunOptions = {}): Promise<RunResult> {
    const started = performance.now();
    const effective = this.withBecomePassword(options);
    const { argv, stdin } = wrapCommand(command, effective);
    // A timeout needs the command's own session to kill its process group, so only those use exec.
    const viaShell = this.shellSlots !== undefined && options.timeoutMs === undefined;
    const outcome = viaShell ? await this.inShell(quoteArgv(argv), stdin) : await this.exec({
      command: quoteArgv(argv),
      stdin,
      timeoutMs: options.timeoutMs,
      describe: describeCommand(command),
      killCommand: (pgid) => {
        // The kill runs with the command's privileges: a become'd process group needs sudo to be killed.
        const kill = wrapCommand(['kill', '-KILL', `-${pgid}`], { become: effective.become });
        return { command: quoteArgv(kill.argv), stdin: kill.stdin };
      },
    });
    return {
      stdout: outcome.stdout.toString('utf8'),
      stderr: outcome.stderr.toString('utf8'),
      stdoutBytes: outcome.stdout,
      exitCode: outcome.exitCode,
      durationMs: performance.now() - started,
    };
  }

  async put(content: string | Buffer, path: string, options: PutOptions = {}): Promise<void> {
    await runPut((script, runOptions) => this.run(script, runOptions), content, path, options);
  }

  async get(path: string, options: { readonly become?: BecomeOptions } = {}): Promise<Buffer> {
    return (await this.checked(quoteArgv(['cat', '--', path]), { become: options.become })).stdoutBytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const shell of this.shells.splice(0)) shell.close();
    this.markLost('connection closed by rackplay');
    await new Promise<void>((resolve) => {
      if (this.socketClosed) resolve();
      this.handle.client.once('close', () => resolve());
      this.handle.close();
      setTimeout(resolve, 1_000).unref(); // a dead peer never confirms; do not hang the run on it
    });
  }

  private async inShell(command: string, stdin: string | Buffer | undefined): Promise<ExecOutcome> {
    this.throwIfLost();
    return await this.shellSlots!.use(async () => {
      const shell = await this.pickShell();
      // sshd refused another session: the command gets an exec channel of its own instead.
      if (shell === undefined) return this.exec({ command, stdin, describe: command });
      return await this.guarded(shell.run(command, stdin));
    });
  }

  /** An idle shell, else a new one while under the count, else the least busy: commands queue in it. */
  private async pickShell(): Promise<ShellSession | undefined> {
    for (let index = this.shells.length - 1; index >= 0; index--) if (!this.shells[index]!.usable) this.shells.splice(index, 1);
    const idle = this.shells.find((shell) => shell.inFlight === 0);
    if (idle !== undefined) return idle;
    if (this.shells.length + this.openingShells.size < this.shellCount) return await this.openShell();
    if (this.shells.length === 0) return await Promise.race(this.openingShells);
    return this.shells.reduce((least, shell) => (shell.inFlight < least.inFlight ? shell : least));
  }

  private async openShell(): Promise<ShellSession | undefined> {
    const opening = this.guarded(ShellSession.open(this.handle.client)).then(
      (shell) => {
        this.shells.push(shell);
        return shell;
      },
      (error: unknown) => {
        if (this.lost !== undefined) throw this.lost;
        if (error instanceof ChannelOpenError) return undefined;
        throw error;
      },
    );
    this.openingShells.add(opening);
    try {
      return await opening;
    } finally {
      this.openingShells.delete(opening);
    }
  }

  private async exec(request: ExecRequest): Promise<ExecOutcome> {
    this.throwIfLost();
    return await this.pool.use(async () => {
      for (let attempt = 0; ; attempt++) {
        this.throwIfLost();
        try {
          return await this.guarded(execOnce(this.handle.client, request));
        } catch (error) {
          if (this.lost !== undefined) throw this.lost;
          const delay = openRetryDelay(attempt);
          if (!(error instanceof ChannelOpenError) || delay === undefined) throw error;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    });
  }

  /** Races an exec against the loss of the connection, so no caller waits on a channel that cannot close. */
  private guarded<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onLost = (error: UnreachableError): void => reject(error);
      this.inflight.add(onLost);
      work.then(resolve, reject).finally(() => this.inflight.delete(onLost));
    });
  }

  private markLost(reason: string): void {
    if (this.lost !== undefined) return;
    this.lost = new UnreachableError(`${this.alias}: ssh ${describeTarget(this.target)}: ${reason}`);
    for (const reject of this.inflight) reject(this.lost);
    this.inflight.clear();
  }

  private throwIfLost(): void {
    if (this.lost !== undefined) throw this.lost;
  }

  /** ansible_become_password applies when the task asks for become without a password of its own. */
  private withBecomePassword(options: RunOptions): RunOptions {
    const password = this.target.becomePassword;
    if (options.become === undefined || options.become.password !== undefined || password === undefined) return options;
    return { ...options, become: { ...options.become, password } };
  }

  private async checked(script: string, options: RunOptions): Promise<RunResult> {
    const result = await this.run({ script }, options);
    if (result.exitCode !== 0) throw new Error(result.stderr.trim() || `exit ${result.exitCode}: ${script}`);
    return result;
  }
}

/** Opens a connection; throws UnreachableError (refused, timeout, auth failure, unknown or changed host key). */
export async function openSsh(target: SshTarget, alias: string): Promise<SshConnection> {
  return await SshConnection.open(target, alias);
}
