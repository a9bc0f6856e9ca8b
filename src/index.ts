/**
 * rackplay's public API, for writing modules: `import { defineModule } from 'rackplay'`.
 * Everything exported here is kept stable across minor versions; anything else under dist/ is internal.
 */
export { defineModule } from './module/contract.js';
export type { Change, FileDiff, HostContext, ModuleContext, ModuleDefinition, ModuleMeta, ModuleResult, ParamProblem, Plan } from './module/contract.js';
export { applyChange, applyPlan, ChangeFailedError } from './module/apply.js';
export type { BecomeOptions, CommandSpec, Connection, PutOptions, RunOptions, RunResult } from './connection/types.js';
export { CommandTimeoutError, UnreachableError } from './connection/types.js';
/** POSIX sh quoting of one word (`quote`) or an argv (`quoteArgv`); for the rare `script` change that must embed a value. */
export { quoteWord as quote, quoteArgv } from './connection/quote.js';
