import { defineModule } from '../../src/module/contract.js';
import type { SetFactParamsFromSchema } from './params.generated.js';
import { controllerMeta } from '../../src/module/meta.js';
import type { Plan } from '../../src/module/contract.js';

export type SetFactParams = Readonly<Record<string, unknown>>;

/** Pure: the facts are the (already rendered) parameters. */
export function planSetFact(params: SetFactParams): Plan {
  return { changes: [], changed: false, facts: params, result: { ansible_facts: params } };
}

export default defineModule<SetFactParamsFromSchema, undefined>({
  name: 'set_fact',
  meta: controllerMeta({ ansible_facts: 'the variables set for the host' }),
  gather: async () => undefined,
  plan: (params) => planSetFact(params),
});
