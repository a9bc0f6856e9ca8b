export interface EngineOptions {
  readonly check: boolean;
  readonly diff: boolean;
  readonly forks: number;
  readonly limit?: string;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly extraVars: Readonly<Record<string, unknown>>;
  /** Stops starting new tasks when aborted (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Values masked in every output from the start: what was decrypted from vaults. */
  readonly secrets?: ReadonlySet<string>;
  /** --fact-cache DIR and --fact-cache-ttl SECONDS. */
  readonly factCache?: { readonly dir: string; readonly ttlSeconds: number };
}
