/** Small user modules written into a test's temp folder: each a folder with index.mjs and schema.json. */

export const OBJECT_SCHEMA = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'object', additionalProperties: false, properties, ...extra }, null, 2);

/** A module that reports its message; fails in gather (throw: true) or returns a malformed plan (malformed: true). */
export const FLAKY_MODULE = `export default {
  name: 'flaky',
  meta: { checkMode: 'full', diff: false, idempotent: true, platforms: ['any'], returns: {} },
  async gather(ctx, params) {
    if (params.throw) throw new Error('the device is on fire');
    return { host: ctx.host.name };
  },
  plan(params, state) {
    if (params.malformed) return { changes: [{ kind: 'exec', argv: 'rm -rf /' }] };
    return { changes: [], result: { host: state.host }, noopReason: 'fine on ' + state.host };
  },
};
`;

export const FLAKY_SCHEMA = OBJECT_SCHEMA({ throw: { type: 'boolean', description: 'throw in gather' }, malformed: { type: 'boolean', description: 'return a malformed plan' } }, { description: 'A module that fails on purpose.' });

/** A `copy` that does nothing but say it is the user's; `override` (in the export, or in the schema) replaces the built-in. */
export const userCopyModule = (override: boolean): string => `export default {
  name: 'copy',
  ${override ? 'override: true,' : ''}
  meta: { checkMode: 'full', diff: false, idempotent: true, platforms: ['any'], returns: {} },
  async gather() { return {}; },
  plan(params) { return { changes: [], result: { users_copy: params.dest } }; },
};
`;
