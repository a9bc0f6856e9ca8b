import type { Plan } from '../../src/module/contract.js';

export interface AssertParams {
  readonly that: unknown;
  readonly fail_msg?: string;
  readonly msg?: string;
  readonly success_msg?: string;
  readonly quiet?: boolean;
}

export interface ConditionOutcome {
  readonly condition: unknown;
  readonly holds: boolean;
}

export function planAssert(params: AssertParams, outcomes: readonly ConditionOutcome[]): Plan {
  const failedOutcome = outcomes.find((outcome) => !outcome.holds);
  if (failedOutcome !== undefined) {
    const assertion = String(failedOutcome.condition);
    const msg = params.fail_msg ?? params.msg ?? `Assertion failed: ${assertion}`;
    return { changes: [], changed: false, failed: msg, result: { msg, assertion, evaluated_to: false } };
  }
  return { changes: [], changed: false, result: { msg: params.success_msg ?? 'All assertions passed' } };
}
