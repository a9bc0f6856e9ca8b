import { describe, expect, it } from 'vitest';
import { UnreachableError } from '../../src/connection/types.js';
import type { ModuleContext } from '../../src/module/contract.js';
import { guardUserModule, UserModuleError } from '../../src/module/user-modules-guard.js';
import { planShapeProblems } from '../../src/module/user-modules-plan.js';

describe('planShapeProblems: a user plan is checked before the engine uses it', () => {
  it.each([
    [{ changes: [] }, []],
    [{ changes: [{ kind: 'command', argv: ['true'], description: 'd' }, { kind: 'put', path: '/x', content: Buffer.from('b'), description: 'd' }], diff: [{ before: '', after: 'x' }] }, []],
    [{ changes: [{ kind: 'script', script: 'echo "$1"', args: ['a'], description: 'd' }], result: {}, facts: {}, failed: 'no', noopReason: 'ok', changed: false }, []],
    [undefined, ['the plan must be an object with a changes array, got nothing']],
    [{ changes: 'rm -rf /' }, ["changes must be an array, got 'rm -rf /'"]],
    [{ changes: [{ kind: 'command', argv: 'ls -l', description: 'd' }] }, ['changes[0].argv must be a non-empty array of strings']],
    [{ changes: [{ kind: 'command', argv: ['ls', 1], description: 'd' }] }, ['changes[0].argv must be a non-empty array of strings']],
    [{ changes: [{ kind: 'put', path: '', content: 3, description: 'd' }] }, ['changes[0].path must be a non-empty string', 'changes[0].content must be a string or a Buffer']],
    [{ changes: [null] }, ['changes[0] must be an object, got null']],
    [{ changes: [], diff: { before: 1 } }, ['diff.before must be a string', 'diff.after must be a string']],
    [{ changes: [], result: [], changed: 'yes' }, ['result must be an object, got an array', "changed must be a boolean, got 'yes'"]],
  ])('%j → %j', (plan, problems) => {
    expect(planShapeProblems(plan)).toEqual(problems);
  });
});

describe('guardUserModule', () => {
  const ctx = {} as ModuleContext;
  const meta = { checkMode: 'full', diff: false, idempotent: true, platforms: ['any'], returns: {} } as const;

  it('names the module and its source in what it throws; a lost host stays an UnreachableError', async () => {
    const unreachable = new UnreachableError('gone');
    const module = guardUserModule(
      {
        name: 'm',
        meta,
        gather: async (_ctx, params) => {
          if ((params as { lost?: boolean }).lost) throw unreachable;
          throw new TypeError('x is undefined');
        },
        plan: () => ({ changes: [] }),
        apply: async () => ({ changed: 'maybe' }) as never,
      },
      'm',
      '/src/m, --module-path',
    );
    await expect(module.gather(ctx, {})).rejects.toThrow(new UserModuleError('module m (/src/m, --module-path): gather failed: x is undefined'));
    await expect(module.gather(ctx, { lost: true })).rejects.toBe(unreachable);
    await expect(module.apply!(ctx, { changes: [] }, {})).rejects.toThrow("module m (/src/m, --module-path): apply must return an object with a boolean 'changed'");
  });

  it("turns a throwing or malformed validate into a problem of the task, and fills the meta it left out", () => {
    const throwing = guardUserModule({ name: 'v', meta: undefined as never, gather: async () => ({}), plan: () => ({ changes: [] }), validate: () => { throw new Error('boom'); } }, 'v', 'here');
    expect(throwing.validate!({})).toEqual([{ path: '', message: 'module v (here): validate failed: boom' }]);
    expect(throwing.meta).toEqual({ checkMode: 'full', diff: false, idempotent: true, platforms: ['posix'], returns: {} });
    const malformed = guardUserModule({ name: 'v', meta, gather: async () => ({}), plan: () => ({ changes: [] }), validate: () => 'bad' as never }, 'v', 'here');
    expect(malformed.validate!({})).toEqual([{ path: '', message: 'module v (here): validate must return an array of { path, message }' }]);
  });
});
