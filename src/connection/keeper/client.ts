import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';
import type { SshTarget } from '../ssh/index.js';
import type { BecomeOptions, CommandSpec, Connection, PutOptions, RunOptions, RunResult } from '../types.js';
import { connectTo, errorFromWire, fromWire, keeperDir, keeperSocket, readJsonLines, toWire } from './protocol.js';
import type { Bytes, WireError } from './protocol.js';

interface Answer {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: WireError;
  readonly handle?: number;
  readonly result?: { stdout: Bytes; stderr: string; exitCode: number; durationMs: number };
  readonly content?: Bytes;
}

/** One socket to the keeper per run, shared by every kept connection; closed when the last one is. */
class KeeperSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  users = 0;

  constructor(private readonly socket: Socket) {
    readJsonLines<Answer>(socket, (answer) => {
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (answer.ok) waiting?.resolve(answer);
      else waiting?.reject(errorFromWire(answer.error ?? { name: 'Error', message: 'connection keeper failed' }));
    });
    const lost = (): void => {
      for (const waiting of this.pending.values()) waiting.reject(errorFromWire({ name: 'UnreachableError', message: 'the connection keeper went away' }));
      this.pending.clear();
      this.forget();
    };
    socket.on('close', lost);
    socket.on('error', lost);
  }

  request(message: Record<string, unknown>): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  }

  end(): void {
    this.forget();
    this.socket.end();
  }

  /** The next open starts a new session: this one is ending. */
  private forget(): void {
    if (active === this) {
      active = undefined;
      session = undefined;
    }
  }
}

let session: Promise<KeeperSession> | undefined;
let active: KeeperSession | undefined;

/** The run's keeper session; starts the keeper (detached, outliving the run) when none listens. */
async function keeperSession(): Promise<KeeperSession> {
  session ??= (async () => {
    const dir = keeperDir();
    const socketPath = keeperSocket(dir);
    let socket = await connectTo(socketPath).catch(() => undefined);
    if (socket === undefined) {
      const child = spawn(process.execPath, [join(packageRoot, 'bin', 'rackplay.js'), 'connection-keeper'], {
        detached: true,
        stdio: 'ignore',
        cwd: '/',
        env: { ...process.env, RACKPLAY_KEEPER_DIR: dir },
      });
      child.unref();
      for (let attempt = 0; socket === undefined && attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        socket = await connectTo(socketPath).catch(() => undefined);
      }
      if (socket === undefined) throw new Error(`the connection keeper did not start listening on ${socketPath}`);
    }
    active = new KeeperSession(socket);
    return active;
  })();
  session.catch(() => (session = undefined));
  return session;
}

/** A connection held by the keeper: the same Connection contract, each call one request over its socket. */
class KeptConnection implements Connection {
  readonly kind = 'ssh' as const;
  private released = false;

  constructor(
    private readonly keeper: KeeperSession,
    private readonly handle: number,
  ) {}

  async run(command: CommandSpec, options: RunOptions = {}): Promise<RunResult> {
    const answer = await this.keeper.request({ op: 'run', handle: this.handle, command, options: { ...options, stdin: toWire(options.stdin) } });
    const stdoutBytes = fromWire(answer.result!.stdout) as Buffer | string;
    const bytes = typeof stdoutBytes === 'string' ? Buffer.from(stdoutBytes) : stdoutBytes;
    return { stdout: bytes.toString('utf8'), stderr: answer.result!.stderr, stdoutBytes: bytes, exitCode: answer.result!.exitCode, durationMs: answer.result!.durationMs };
  }

  async put(content: string | Buffer, path: string, options: PutOptions = {}): Promise<void> {
    await this.keeper.request({ op: 'put', handle: this.handle, content: toWire(content), path, options });
  }

  async get(path: string, options: { readonly become?: BecomeOptions } = {}): Promise<Buffer> {
    const content = fromWire((await this.keeper.request({ op: 'get', handle: this.handle, path, options })).content);
    return typeof content === 'string' ? Buffer.from(content) : content!;
  }

  /** Hands the connection back to the keeper, which keeps it open for the next run. */
  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.keeper.request({ op: 'release', handle: this.handle }).catch(() => undefined);
    if (--this.keeper.users === 0) this.keeper.end();
  }
}

/** Opens (or reuses) the host's connection in the keeper. Throws what a direct open would, or an Error when the keeper cannot serve. */
export async function openKept(target: SshTarget, alias: string, idleSeconds: number): Promise<Connection> {
  const keeper = await keeperSession();
  keeper.users++;
  try {
    const answer = await keeper.request({ op: 'open', target, alias, idleSeconds });
    return new KeptConnection(keeper, answer.handle!);
  } catch (error) {
    if (--keeper.users === 0) keeper.end();
    throw error;
  }
}
