import { moduleSchema } from '../module/registry.js';

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
    if (typeof value === 'string' && value.length >= 4) secrets.add(value);
  }
}

/** Replaces every occurrence of every secret in strings, deep, without touching the original. */
export function redact<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  return redactValue(value, [...secrets]) as T;
}

function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets)]));
  }
  return value;
}
