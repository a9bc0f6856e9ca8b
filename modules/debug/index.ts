import { defineModule } from '../../src/module/contract.js';
import type { DebugParamsFromSchema } from './params.generated.js';
import { controllerMeta } from '../../src/module/meta.js';
import { planDebug } from './plan.js';

export default defineModule<DebugParamsFromSchema, Readonly<Record<string, unknown>>>({
  name: 'debug',
  meta: controllerMeta({ msg: 'the message, or the variable named by var' }),
  freeForm: (text) => ({ msg: text }),
  // The variables are read on the controller; nothing touches the host.
  gather: async (ctx) => ctx.host.vars,
  plan: planDebug,
});
