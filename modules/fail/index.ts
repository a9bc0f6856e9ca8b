import { defineModule } from '../../src/module/contract.js';
import type { FailParamsFromSchema } from './params.generated.js';
import { controllerMeta } from '../../src/module/meta.js';
import type { Plan } from '../../src/module/contract.js';

export interface FailParams {
  readonly msg?: string;
}

export function planFail(params: FailParams): Plan {
  const msg = params.msg ?? 'Failed as requested from task';
  return { changes: [], changed: false, failed: msg, result: { msg } };
}

export default defineModule<FailParamsFromSchema, undefined>({
  name: 'fail',
  meta: controllerMeta({ msg: 'the failure message' }),
  freeForm: (text) => ({ msg: text }),
  gather: async () => undefined,
  plan: (params) => planFail(params),
});
