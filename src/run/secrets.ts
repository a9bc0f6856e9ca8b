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

/** Paths of the properties a schema marks `x-secret`, nested objects included (serf_agent's config.encrypt_key). */
function secretPaths(schema: Record<string, unknown>, prefix: readonly string[] = []): { path: string[]; except: unknown[] }[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties).flatMap(([name, property]) =>
    property['x-secret'] === true
      ? [{ path: [...prefix, name], except: (property['x-secret-except'] as unknown[] | undefined) ?? [] }]
      : property.properties !== undefined
        ? secretPaths(property, [...prefix, name])
        : [],
  );
}

/** Collects the rendered values of a task's secret parameters into the run's set of secrets. */
export function rememberSecrets(secrets: Set<string>, module: string, params: Readonly<Record<string, unknown>>): void {
  for (const { path, except } of secretPaths(moduleSchema(module))) {
    let value: unknown = params;
    for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    // However short: a short secret may mask an ordinary word too, and that is the better mistake. Keywords the
    // schema lists in x-secret-except (serf_agent's encrypt_key: generate) are not secrets.
    if (typeof value === 'string' && value !== '' && !except.includes(value)) addSecretForms(secrets, value);
  }
}

/** Replaces every occurrence of every secret in strings, deep, without touching the original. */
export function redact<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  return redactValue(value, secretPattern(secrets)) as T;
}

const patterns = new WeakMap<ReadonlySet<string>, { size: number; pattern: RegExp }>();

/**
 * One pass, longest secret first: a secret that contains a shorter one is masked whole (never
 * `********tail`). The mask itself is matched too and kept, so masking twice changes nothing.
 */
function secretPattern(secrets: ReadonlySet<string>): RegExp {
  // Every event is redacted: the pattern is rebuilt only when the set has grown (sets of secrets only grow).
  const cached = patterns.get(secrets);
  if (cached !== undefined && cached.size === secrets.size) return cached.pattern;
  const sorted = [...secrets, REDACTED].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  patterns.set(secrets, { size: secrets.size, pattern });
  return pattern;
}

function redactValue(value: unknown, pattern: RegExp): unknown {
  if (typeof value === 'string') return value.replace(pattern, () => REDACTED);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, pattern));
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, pattern)]));
  }
  return value;
}

// Host names are identifiers the engine itself keys on (it listens to play_start), not secrets.
const STRUCTURAL_FIELDS = ['type', 'status', 'host', 'hosts'] as const;

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
    const scrubbed = redact(event, this.secrets) as Record<string, unknown>;
    // The fields listeners dispatch on stay as they are: a one-letter vault value must not turn
    // `type: 'host_result'` or `status: 'failed'` into something no renderer recognises.
    for (const key of STRUCTURAL_FIELDS) if (key in event) scrubbed[key] = (event as Record<string, unknown>)[key];
    if ('task' in event) scrubbed.task = { ...(scrubbed.task as object), id: event.task.id, module: event.task.module };
    this.inner.emit(scrubbed as EngineEvent);
  }
}
