import { defineModule } from '../../src/module/contract.js';
import { planDebug } from './plan.js';
import type { DebugParams } from './plan.js';

export default defineModule<DebugParams, Readonly<Record<string, unknown>>>({
  name: 'debug',
  meta: {
    checkMode: 'full',
    diff: false,
    idempotent: true,
    platforms: ['any'],
    controllerOnly: true,
    returns: { msg: 'the message, or the variable named by var' },
  },
  freeForm: (text) => ({ msg: text }),
  // The variables are read on the controller; nothing touches the host.
  gather: async (ctx) => ctx.host.vars,
  plan: planDebug,
});
