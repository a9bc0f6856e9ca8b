/**
 * A counting semaphore over one connection's channels. sshd refuses sessions beyond MaxSessions (default
 * 10) with "open failed"; staying below it makes excess commands wait in FIFO order instead of failing.
 */
export class ChannelPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`maxChannels must be a positive integer, got ${size}`);
  }

  async use<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  get pending(): number {
    return this.waiting.length;
  }

  private acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next !== undefined) next();
    else this.active--;
  }
}
