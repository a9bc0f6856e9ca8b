import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../vault/atomic-write.js';
import type { Facts } from './types.js';

interface CacheEntry {
  readonly host: string;
  /** Epoch milliseconds. */
  readonly gathered_at: number;
  readonly facts: Facts;
}

/**
 * --fact-cache DIR: one JSON file per inventory host, like Ansible's jsonfile cache. An entry younger than
 * the TTL stands in for gathering; an older, unreadable or foreign one is gathered again and rewritten.
 */
export class FactCache {
  constructor(
    readonly dir: string,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  fileOf(host: string): string {
    // Inventory names may hold characters a file name cannot; the encoding is reversible and stable.
    return join(this.dir, `${encodeURIComponent(host)}.json`);
  }

  /** The cached facts and their age in seconds, or undefined when missing or expired. */
  async read(host: string): Promise<{ facts: Facts; ageSeconds: number } | undefined> {
    let entry: Partial<CacheEntry>;
    try {
      entry = JSON.parse(await readFile(this.fileOf(host), 'utf8')) as Partial<CacheEntry>;
    } catch {
      return undefined;
    }
    if (entry.host !== host || typeof entry.gathered_at !== 'number' || typeof entry.facts !== 'object' || entry.facts === null) return undefined;
    const ageSeconds = (this.now() - entry.gathered_at) / 1000;
    if (ageSeconds < 0 || ageSeconds >= this.ttlSeconds) return undefined;
    return { facts: entry.facts, ageSeconds };
  }

  async write(host: string, facts: Facts): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const entry: CacheEntry = { host, gathered_at: this.now(), facts };
    await writeFileAtomic(this.fileOf(host), `${JSON.stringify(entry, null, 2)}\n`);
  }
}
