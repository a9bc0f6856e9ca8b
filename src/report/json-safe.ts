/**
 * A copy of a value that JSON.stringify renders faithfully: Buffers become their UTF-8 text
 * (JSON.stringify would print {"type":"Buffer","data":[…]}), bigints strings, Maps objects,
 * Sets arrays, Errors {name, message}, and cycles a marker instead of a throw.
 */
export function jsonSafe(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (Array.isArray(value)) return value.map((entry) => jsonSafe(entry, seen) ?? null);
    if (value instanceof Set) return [...value].map((entry) => jsonSafe(entry, seen) ?? null);
    const entries = value instanceof Map ? [...value.entries()].map(([key, entry]) => [String(key), entry] as const) : Object.entries(value);
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of entries) {
      const safe = jsonSafe(entry, seen);
      if (safe !== undefined) copy[key] = safe;
    }
    return copy;
  } finally {
    // Only ancestors count as cycles; the same object twice side by side is fine.
    seen.delete(value);
  }
}

/** JSON text of any value, never throwing. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(jsonSafe(value), undefined, indent) ?? 'null';
}
