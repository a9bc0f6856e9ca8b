export type Resolution = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly missingAt: number };

/**
 * Follows `parts` from `base`. Only own properties count, so nothing on a prototype (`constructor`,
 * `__proto__`, methods) is reachable from a template; getters run, which is how lazily rendered
 * variables resolve. A property whose value is undefined is missing, as it would be in YAML.
 */
export function resolvePath(base: unknown, parts: readonly string[]): Resolution {
  let value = base;
  for (let index = 0; index < parts.length; index++) {
    const key = parts[index] as string;
    if (value === undefined || value === null || !Object.hasOwn(Object(value), key)) return { found: false, missingAt: index };
    value = (value as Record<string, unknown>)[key];
    if (value === undefined) return { found: false, missingAt: index };
  }
  return { found: true, value };
}
