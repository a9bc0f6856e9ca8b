import { applyPlan } from '../../src/module/apply.js';
import { defineModule } from '../../src/module/contract.js';
import { planSerfEvent } from './plan.js';
import type { SerfEventParams } from './plan.js';

export default defineModule<SerfEventParams, undefined>({
  name: 'serf_event',
  meta: {
    checkMode: 'full',
    diff: false,
    idempotent: false,
    platforms: ['linux'],
    returns: {
      name: 'the event name',
      payload_bytes: 'the payload size in bytes',
      encoded_bytes: 'the event size as Serf encodes it, compared with user_event_size_limit',
      coalesce: 'whether Serf may coalesce it',
    },
  },
  // Nothing to read: an event is news, sending it is always a change.
  gather: () => Promise.resolve(undefined),
  plan: (params) => planSerfEvent(params),
  apply: (ctx, plan) => applyPlan(ctx, plan),
});
