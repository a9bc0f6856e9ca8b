import type { ModuleMeta } from './contract.js';

/** Modules that only read and set variables on the controller: nothing to check, nothing to diff. */
export function controllerMeta(returns: ModuleMeta['returns']): ModuleMeta {
  return { checkMode: 'full', diff: false, idempotent: true, platforms: ['any'], controllerOnly: true, returns };
}

/**
 * Modules that converge state on a Linux host (a file, a rule, a service, a container): fully checkable, with a diff.
 * Their gathers only read, so they may run ahead (ModuleMeta.gatherReadsOnly), unless the module says otherwise.
 */
export function convergingMeta(returns: ModuleMeta['returns'], options: { gatherReadsOnly?: boolean } = {}): ModuleMeta {
  return { checkMode: 'full', diff: true, idempotent: true, platforms: ['linux'], gatherReadsOnly: options.gatherReadsOnly ?? true, returns };
}

/** Modules that run what they are given: only creates/removes can tell, without running, whether anything would change. */
export function commandMeta(returns: ModuleMeta['returns']): ModuleMeta {
  return { checkMode: 'partial', diff: false, idempotent: false, platforms: ['posix'], returns };
}
