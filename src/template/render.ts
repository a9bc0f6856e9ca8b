import { compileTemplate } from './compile.js';
import { toTemplateError } from './render-error.js';

export function isTemplate(value: string): boolean {
  return value.includes('{{');
}

export function renderString(source: string, vars: Record<string, unknown>): string {
  if (!isTemplate(source)) return source;
  const template = compileTemplate(source);
  try {
    return template.text(vars);
  } catch (error) {
    throw toTemplateError(error, source);
  }
}

/**
 * Deep render: strings rendered, arrays and plain objects copied with their values rendered (keys as
 * written), anything else returned as it is. A string that is one lone `{{ expr }}` yields the
 * expression's own value, so `'{{http_port}}'` is the number 8080 and `'{{eq os "debian"}}'` is true.
 */
export function renderValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderStringValue(value, vars);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, vars)]));
  return value;
}

function renderStringValue(source: string, vars: Record<string, unknown>): unknown {
  if (!isTemplate(source)) return source;
  const template = compileTemplate(source);
  try {
    return template.native === undefined ? template.text(vars) : template.native(vars);
  } catch (error) {
    throw toTemplateError(error, source);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
