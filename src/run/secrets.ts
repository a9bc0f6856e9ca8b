import { moduleSchema } from '../module/registry.js';
import { EventBus } from '../events.js';
import type { EngineEvent, EventListener } from '../events.js';
import { addSecretForms } from './secret-forms.js';

export const REDACTED = '********';

/** Parameter names a module schema marks `x-secret: true` (a BMC password, say): masked in all output. */
export function secretParams(module: string): readonly string[] {
  const properties = (moduleSchema(module).properties ?? {}) as Record<string, { 'x-secret'?: boolean }>;
  return Object.entries(properties)
    .filter(([, property]) => property['x-secret'] === true)
    .map(([name]) => name);
}

/** Collects the rendered values of a task's secret parameters into the run's set of secrets. */
export function rememberSecrets(secrets: Set<string>, module: string, params: Readonly<Record<string, unknown>>): void {
  for (const name of secretParams(module)) {
    const value = params[name];
    // Very short values would mask ordinary words everywhere; they are not worth a secret's name.
    if (typeof value === 'string' && value.length >= 4) addSecretForms(secrets, value);
  }
}

/** Replaces every occurrence of every secret in strings, deep, without touching the original. */
export function redact<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  return redactValue(value, secretPattern(secrets)) as T;
}

/**
 * One pass, longest secret first: a secret that contains a shorter one is masked whole (never
 * `********tail`). The mask itself is matched too and kept, so masking twice changes nothing.
 */
function secretPattern(secrets: ReadonlySet<string>): RegExp {
  const sorted = [...secrets, REDACTED].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

function redactValue(value: unknown, pattern: RegExp): unknown {
  if (typeof value === 'string') return value.replace(pattern, () => REDACTED);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, pattern));
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, pattern)]));
  }
  return value;
}

/**
 * The bus the engine emits on: every event is scrubbed of the run's secrets before any renderer
 * sees it, whatever field a secret ended up in (a task name, a warning, a loop label, a diff).
 */
export class RedactingBus extends EventBus {
  constructor(
    private readonly inner: EventBus,
    private readonly secrets: ReadonlySet<string>,
  ) {
    super();
  }

  override subscribe(listener: EventListener): () => void {
    return this.inner.subscribe(listener);
  }

  override emit(event: EngineEvent): void {
    this.inner.emit(redact(event, this.secrets));
  }
}
