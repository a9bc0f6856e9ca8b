import type { Plan } from '../../src/module/contract.js';

export interface DebugParams {
  readonly msg?: unknown;
  readonly var?: string;
}

export function planDebug(params: DebugParams, vars: Readonly<Record<string, unknown>>): Plan {
  if (params.var !== undefined) {
    const value = lookupDotted(vars, params.var);
    return { changes: [], changed: false, result: { [params.var]: value === undefined ? 'VARIABLE IS NOT DEFINED!' : value, msg: value } };
  }
  return { changes: [], changed: false, result: { msg: params.msg ?? 'Hello world!' } };
}

function lookupDotted(vars: Readonly<Record<string, unknown>>, dotted: string): unknown {
  let current: unknown = vars;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
