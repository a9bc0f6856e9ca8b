import { defineModule } from '../../src/module/contract.js';
import type { IncludeVarsParamsFromSchema } from './params.generated.js';
import { controllerMeta } from '../../src/module/meta.js';
import type { Plan } from '../../src/module/contract.js';

export interface IncludeVarsParams {
  readonly file: string;
  readonly name?: string;
}

/** The file was read and validated at load; the engine hands its content over as state. */
export function planIncludeVars(params: IncludeVarsParams, loaded: Readonly<Record<string, unknown>>): Plan {
  const facts = params.name === undefined ? loaded : { [params.name]: loaded };
  return { changes: [], changed: false, includedVars: facts, result: { ansible_facts: facts, ansible_included_var_files: [params.file] } };
}

export default defineModule<IncludeVarsParamsFromSchema, Readonly<Record<string, unknown>>>({
  name: 'include_vars',
  meta: controllerMeta({ ansible_facts: 'the variables read from the file' }),
  freeForm: (text) => ({ file: text }),
  gather: async (ctx) => ctx.preloadedVars ?? {},
  plan: planIncludeVars,
});
