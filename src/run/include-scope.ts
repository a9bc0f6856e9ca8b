import type { HostRun } from './state.js';

/**
 * Per-host variables of the include_role statements a host is inside (the include's loop item, index):
 * pushed when the included tasks start on that host, popped when they end. Hosts run included tasks
 * in lockstep (linear) or alone (free), so a stack per host is exact.
 */
const layers = new WeakMap<HostRun, Record<string, unknown>[]>();

export function includeLayers(host: HostRun): readonly Record<string, unknown>[] {
  return layers.get(host) ?? [];
}

export function pushIncludeLayer(host: HostRun, layer: Record<string, unknown>): void {
  const stack = layers.get(host) ?? [];
  stack.push(layer);
  layers.set(host, stack);
}

export function popIncludeLayer(host: HostRun): void {
  layers.get(host)?.pop();
}
