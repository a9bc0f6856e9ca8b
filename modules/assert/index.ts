import { evaluateCondition } from '../../src/template/index.js';
import { defineModule } from '../../src/module/contract.js';
import type { AssertParamsFromSchema } from './params.generated.js';
import { controllerMeta } from '../../src/module/meta.js';
import { planAssert } from './plan.js';
import type { AssertParams, ConditionOutcome } from './plan.js';

export default defineModule<AssertParamsFromSchema, readonly ConditionOutcome[]>({
  name: 'assert',
  meta: controllerMeta({ msg: 'success_msg, or fail_msg naming the first false assertion', assertion: 'the condition that failed' }),
  // Conditions written without {{ }} reach the module unrendered; they are evaluated against the task's variables.
  gather: async (ctx, params) =>
    toList(params.that).map((condition) => ({ condition, holds: evaluateCondition(condition, ctx.host.vars) })),
  plan: planAssert,
});

function toList(that: AssertParams['that']): readonly unknown[] {
  return Array.isArray(that) ? that : [that];
}
