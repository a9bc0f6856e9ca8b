/** What a task asks to run: an argv (quoted in one place, never by callers) or a POSIX sh script. */
export type CommandSpec = readonly string[] | { readonly script: string };

export interface BecomeOptions {
  /** Target user; root when absent. */
  readonly user?: string;
  /** Sent to `sudo -S` over stdin, never on a command line. */
  readonly password?: string;
}

export interface RunOptions {
  readonly stdin?: string | Buffer;
  readonly become?: BecomeOptions;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Raw stdout bytes, for binary-safe callers (get, checksums of non-UTF-8 content). */
  readonly stdoutBytes: Buffer;
  readonly exitCode: number;
  readonly durationMs: number;
}

export interface PutOptions {
  /** Octal string such as "0644". */
  readonly mode?: string;
  readonly owner?: string;
  readonly group?: string;
  readonly become?: BecomeOptions;
  /**
   * Replace the destination only while its content still hashes to this (null: while it does not exist);
   * otherwise put throws StaleFileError and nothing is written.
   */
  readonly expectedSha256?: string | null;
}

/** One host's transport. Implementations: local (execa), ssh (ssh2). */
export interface Connection {
  readonly kind: 'local' | 'ssh';
  run(command: CommandSpec, options?: RunOptions): Promise<RunResult>;
  /** Atomic write: temp file in the destination folder, then rename. */
  put(content: string | Buffer, path: string, options?: PutOptions): Promise<void>;
  get(path: string, options?: { readonly become?: BecomeOptions }): Promise<Buffer>;
  close(): Promise<void>;
}

/** Raised when a host cannot be reached or its connection was lost: the host becomes UNREACHABLE. */
export class UnreachableError extends Error {
  readonly code = 'E_UNREACHABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}

/** A put with expectedSha256 found the destination changed since it was read (another writer won). */
export class StaleFileError extends Error {
  readonly code = 'E_STALE_FILE';
  constructor(readonly path: string) {
    super(`${path} changed since it was read`);
    this.name = 'StaleFileError';
  }
}

/** Raised when a command exceeds its timeout. */
export class CommandTimeoutError extends Error {
  readonly code = 'E_TIMEOUT';
  constructor(readonly timeoutMs: number, readonly command: string) {
    super(`command timed out after ${timeoutMs} ms: ${command}`);
    this.name = 'CommandTimeoutError';
  }
}
