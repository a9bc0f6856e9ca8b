import { expect } from 'vitest';
import type { ModuleDefinition, Plan } from '../../src/module/contract.js';
import { planTask, runTask } from './context.js';
import type { ContextOptions, TaskOutcome } from './context.js';
import { snapshotTree } from './tree.js';

export interface Convergence {
  /** The plan --check made, before anything ran. */
  readonly checked: Plan;
  readonly first: TaskOutcome;
  /** The plan of a second run, after the first applied. */
  readonly second: Plan;
}

/**
 * The contract every file module keeps: --check changes nothing (the whole tree is byte-identical)
 * yet predicts a change; the first run changes; a second run plans nothing.
 */
export async function expectConverges<P, S>(module: ModuleDefinition<P, S>, params: P, options: ContextOptions): Promise<Convergence> {
  const before = await snapshotTree(options.baseDir);
  const checked = await planTask(module, params, options);
  expect(await snapshotTree(options.baseDir), 'check mode left the tree as it was').toEqual(before);
  expect(checked.failed).toBeUndefined();
  expect(checked.changes.length, 'check mode predicts a change').toBeGreaterThan(0);

  const first = await runTask(module, params, options);
  expect(first.result?.failed).toBeUndefined();
  expect(first.result?.changed).toBe(true);

  const second = await planTask(module, params, options);
  expect(second.failed).toBeUndefined();
  expect(second.changes, 'the second run plans nothing').toEqual([]);
  return { checked, first, second };
}

/** --check on a task that would change: the tree stays byte-identical. */
export async function expectCheckLeavesTree<P, S>(module: ModuleDefinition<P, S>, params: P, options: ContextOptions): Promise<Plan> {
  const before = await snapshotTree(options.baseDir);
  const plan = await planTask(module, params, options);
  expect(await snapshotTree(options.baseDir)).toEqual(before);
  return plan;
}
