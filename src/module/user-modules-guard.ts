import { UnreachableError } from '../connection/types.js';
import type { ModuleDefinition, ModuleMeta, ParamProblem, Plan } from './contract.js';
import type { AnyModule } from './registry.js';
import { planShapeProblems } from './user-modules-plan.js';

/** Raised when a user module throws or returns something malformed: the task fails with the module's name. */
export class UserModuleError extends Error {
  readonly code = 'E_MODULE_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserModuleError';
  }
}

/** What a user module may leave out of its meta; the engine's defaults for a module that converges state. */
const DEFAULT_META: ModuleMeta = { checkMode: 'full', diff: false, idempotent: true, platforms: ['posix'], returns: {} };

/**
 * The user's definition behind a guard: every call that can fail names the module and where it came from, a plan
 * is checked before the engine uses it, and a lost connection still makes the host unreachable rather than failed.
 */
export function guardUserModule(definition: ModuleDefinition<unknown, unknown>, name: string, source: string): AnyModule {
  const label = `module ${name} (${source})`;
  const failed = (step: string, error: unknown): Error => {
    if (error instanceof UnreachableError || error instanceof UserModuleError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new UserModuleError(`${label}: ${step} failed: ${reason}`, { cause: error });
  };
  const guarded: AnyModule = {
    name,
    meta: { ...DEFAULT_META, ...definition.meta },
    override: definition.override,
    freeForm: definition.freeForm,
    validate: definition.validate === undefined ? undefined : (params: unknown) => guardedRules(definition, params, label),
    async gather(ctx, params) {
      try {
        return await definition.gather(ctx, params);
      } catch (error) {
        throw failed('gather', error);
      }
    },
    plan(params, state): Plan {
      let plan: unknown;
      try {
        plan = definition.plan(params, state);
      } catch (error) {
        throw failed('plan', error);
      }
      const problems = planShapeProblems(plan);
      if (problems.length > 0) throw new UserModuleError(`${label}: plan returned a malformed plan: ${problems.join('; ')}`);
      return plan as Plan;
    },
    apply:
      definition.apply === undefined
        ? undefined
        : async (ctx, plan, params) => {
            let result: unknown;
            try {
              result = await definition.apply!(ctx, plan, params);
            } catch (error) {
              throw failed('apply', error);
            }
            if (result === null || typeof result !== 'object' || typeof (result as { changed?: unknown }).changed !== 'boolean') {
              throw new UserModuleError(`${label}: apply must return an object with a boolean 'changed'`);
            }
            return result as { changed: boolean };
          },
  };
  return guarded;
}

/** A module's own param rules run at load: a throw or a bad answer is reported as a problem of the task, not a crash. */
function guardedRules(definition: ModuleDefinition<unknown, unknown>, params: unknown, label: string): readonly ParamProblem[] {
  try {
    const problems: unknown = definition.validate!(params);
    if (Array.isArray(problems) && problems.every((problem) => typeof (problem as ParamProblem)?.message === 'string')) {
      return problems.map((problem: ParamProblem) => ({ path: typeof problem.path === 'string' ? problem.path : '', message: problem.message }));
    }
    return [{ path: '', message: `${label}: validate must return an array of { path, message }` }];
  } catch (error) {
    return [{ path: '', message: `${label}: validate failed: ${error instanceof Error ? error.message : String(error)}` }];
  }
}
