import type { EnvironmentSpec } from '../load/model.js';
import { isMapping } from '../load/values.js';
import { renderValue } from '../template/index.js';
import { ENV_NAME } from '../connection/env-script.js';

/**
 * Renders a task's `environment:` layers (play, blocks, task; outermost first) and merges them. A layer
 * may be a template (`"{{proxy_env}}"`, the Ansible idiom) as long as it renders to a mapping.
 */
export function renderEnvironment(layers: readonly EnvironmentSpec[], vars: Record<string, unknown>): Record<string, string> | undefined {
  if (layers.length === 0) return undefined;
  const merged: Record<string, string> = {};
  for (const layer of layers) {
    const rendered = renderValue(layer, vars);
    if (!isMapping(rendered)) throw new Error(`environment must be a mapping of variable names to values; ${typeof layer === 'string' ? `${layer} rendered to` : 'got'} ${describe(rendered)}`);
    for (const [name, value] of Object.entries(rendered)) {
      if (!ENV_NAME.test(name)) throw new Error(`environment variable name '${name}' is not a valid name (letters, digits and _, not starting with a digit)`);
      if (value !== null && typeof value === 'object') throw new Error(`environment variable ${name} must be a string, number or boolean, not ${describe(value)}`);
      merged[name] = String(value);
    }
  }
  return merged;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
