import { renderValue } from '../template/index.js';

/** One layer of variables; `source` layers were written by the user and may reference other variables. */
export type VarLayer =
  | { readonly values: Readonly<Record<string, unknown>>; readonly source: boolean }
  /** Values computed only when a template reads them (magic variables that cost O(hosts)). */
  | { readonly computed: Readonly<Record<string, () => unknown>> };

/**
 * Merges layers, later winning. Values written by the user that contain templates are rendered lazily,
 * on first read, against the merged result; rendered values and registered results are data and are
 * never rendered again.
 */
export function mergeVariables(layers: readonly VarLayer[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if ('computed' in layer) {
      for (const [name, compute] of Object.entries(layer.computed)) defineComputed(merged, name, compute);
      continue;
    }
    for (const [name, value] of Object.entries(layer.values)) {
      if (layer.source && containsTemplate(value)) defineLazy(merged, name, value);
      else Object.defineProperty(merged, name, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return merged;
}

function defineComputed(target: Record<string, unknown>, name: string, compute: () => unknown): void {
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

function defineLazy(target: Record<string, unknown>, name: string, raw: unknown): void {
  let rendering = false;
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      if (rendering) throw new Error(`variable '${name}' refers to itself`);
      rendering = true;
      try {
        const value = renderValue(raw, target);
        Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
        return value;
      } finally {
        rendering = false;
      }
    },
  });
}

export function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return Object.values(value).some(containsTemplate);
  return false;
}
