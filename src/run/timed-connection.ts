import type { CommandSpec, Connection, PutOptions, RunOptions, RunResult, BecomeOptions } from '../connection/types.js';

/** Counts the wall time spent inside a connection, so the engine's own overhead can be told apart. */
export class CommandClock {
  totalMs = 0;
  calls = 0;

  async time<T>(work: () => Promise<T>): Promise<T> {
    this.calls++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.totalMs += performance.now() - started;
    }
  }

  wrap(connection: Connection): Connection {
    return {
      kind: connection.kind,
      run: (command: CommandSpec, options?: RunOptions): Promise<RunResult> => this.time(() => connection.run(command, options)),
      put: (content: string | Buffer, path: string, options?: PutOptions) => this.time(() => connection.put(content, path, options)),
      get: (path: string, options?: { readonly become?: BecomeOptions }) => this.time(() => connection.get(path, options)),
      close: () => connection.close(),
    };
  }
}
