import { Writable } from 'node:stream';

/**
 * Resolves when everything written so far has been handed to the OS. Only real streams report
 * that; a bare `{ write }` object (as tests pass to the CLI) is taken as flushed, so done() never hangs.
 */
export function flush(out: NodeJS.WritableStream): Promise<void> {
  if (!(out instanceof Writable) || out.writableEnded || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    // The callback also fires with an error (EPIPE when piped into `head`): flushed as far as it can be.
    out.write('', () => resolve());
  });
}

/** A promise with its resolver, for done(). */
export function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/**
 * Runs jobs one after another. The live view owns the terminal while a job runs, so everything
 * the tty renderer writes goes through one queue and nothing interleaves with a redraw.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (error: unknown) => void) {}

  run(job: () => Promise<void> | void): void {
    this.tail = this.tail.then(job).catch(this.onError);
  }
}
