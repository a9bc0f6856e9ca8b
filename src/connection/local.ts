import type { execa as Execa } from 'execa';
import type { BecomeOptions, CommandSpec, Connection, PutOptions, RunOptions, RunResult } from './types.js';
import { CommandTimeoutError } from './types.js';
import { describeCommand, quoteArgv, wrapCommand } from './quote.js';
import { runPut } from './put.js';

/** Runs on the controller itself: localhost, and out-of-band work such as SUM against a BMC. */
export class LocalConnection implements Connection {
  readonly kind = 'local' as const;

  async run(command: CommandSpec, options: RunOptions = {}): Promise<RunResult> {
    const started = performance.now();
    const { argv, stdin } = wrapCommand(command, options);
    const [file, ...args] = argv as [string, ...string[]];
    const { execa } = await loadExeca();
    // Its own process group: a timeout kills the command's children too, and a Ctrl-C aimed at rackplay
    // lets the running command finish instead of killing it half-way.
    const subprocess = execa(file, args, {
      input: stdin ?? '',
      reject: false,
      encoding: 'buffer',
      stripFinalNewline: false,
      detached: true,
      env: { LC_ALL: 'C' },
      extendEnv: true,
    });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(subprocess.pid);
          }, options.timeoutMs);
    const child = await subprocess;
    clearTimeout(timer);
    if (timedOut) throw new CommandTimeoutError(options.timeoutMs ?? 0, describeCommand(command));
    const stdoutBytes = Buffer.from(child.stdout);
    return {
      stdout: stdoutBytes.toString('utf8'),
      stderr: Buffer.from(child.stderr).toString('utf8'),
      stdoutBytes,
      exitCode: child.exitCode ?? 128 + signalNumber(child.signal),
      durationMs: performance.now() - started,
    };
  }

  async put(content: string | Buffer, path: string, options: PutOptions = {}): Promise<void> {
    await runPut((script, runOptions) => this.run(script, runOptions), content, path, options);
  }

  async get(path: string, options: { become?: BecomeOptions } = {}): Promise<Buffer> {
    const result = await this.checked(quoteArgv(['cat', '--', path]), { become: options.become });
    return result.stdoutBytes;
  }

  async close(): Promise<void> {}

  private async checked(script: string, options: RunOptions): Promise<RunResult> {
    const result = await this.run({ script }, options);
    if (result.exitCode !== 0) throw new Error(result.stderr.trim() || `exit ${result.exitCode}: ${script}`);
    return result;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

let execaModule: Promise<{ execa: typeof Execa }> | undefined;

/** execa costs ~100 ms to import; runs that never execute locally (SSH only) should not pay it. */
function loadExeca(): Promise<{ execa: typeof Execa }> {
  execaModule ??= import('execa');
  return execaModule;
}

function signalNumber(signal: string | undefined): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return signal === undefined ? 0 : (table[signal] ?? 0);
}
