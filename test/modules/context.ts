import { LocalConnection } from '../../src/connection/local.js';
import { applyPlan } from '../../src/module/apply.js';
import type { ModuleContext, ModuleDefinition, ModuleResult, Plan } from '../../src/module/contract.js';
import { renderString } from '../../src/template/index.js';

export interface ContextOptions {
  /** Where relative `src` paths resolve: the temp dir standing in for the playbook's folder. */
  readonly baseDir: string;
  readonly check?: boolean;
  readonly diff?: boolean;
  readonly vars?: Record<string, unknown>;
}

const connection = new LocalConnection();

/** A ModuleContext on the real local connection, with the real template renderer. */
export function moduleContext(options: ContextOptions): ModuleContext {
  const vars = options.vars ?? {};
  return {
    connection,
    host: { name: 'localhost', vars },
    check: options.check ?? false,
    diff: options.diff ?? true,
    baseDir: options.baseDir,
    renderTemplate: (source) => renderString(source, vars),
    run: (argv, runOptions) => connection.run(argv, runOptions),
  };
}

export interface TaskOutcome {
  readonly plan: Plan;
  /** Undefined in check mode and when the plan failed: apply never ran. */
  readonly result?: ModuleResult;
}

/** What the engine does with a module: gather, plan, and apply unless checking or already failed. */
export async function runTask<P, S>(module: ModuleDefinition<P, S>, params: P, options: ContextOptions): Promise<TaskOutcome> {
  const ctx = moduleContext(options);
  const state = await module.gather(ctx, params);
  const plan = module.plan(params, state);
  if (ctx.check || plan.failed !== undefined) return { plan };
  const result = module.apply ? await module.apply(ctx, plan, params) : await applyPlan(ctx, plan);
  return { plan, result };
}

/** Gather and plan only, as --check does. */
export async function planTask<P, S>(module: ModuleDefinition<P, S>, params: P, options: ContextOptions): Promise<Plan> {
  return (await runTask(module, params, { ...options, check: true })).plan;
}
