import { dirname, resolve } from 'node:path';
import { RackplayError, ValidationFailure } from '../errors.js';
import { hostVariables, implicitInventory, loadInventory } from '../inventory/index.js';
import type { Inventory } from '../inventory/index.js';
import { activateUserModules, loadUserModules } from '../module/user-modules.js';
import { checkPlaybookSemantics } from '../validate/playbook.js';
import type { Playbook } from './model.js';
import { loadPlaybook } from './playbook.js';
import type { LoadContext } from './task-list.js';

export interface LoadedRun {
  readonly playbooks: readonly Playbook[];
  readonly inventory: Inventory;
  readonly problems: readonly RackplayError[];
}

/**
 * Everything before the first host is contacted: inventory, playbooks, imports and vars files,
 * schemas, templates and handler names. Every problem is collected; none stops the others.
 */
export interface LoadOptions {
  /** Folders searched for roles after `roles/` beside the playbook (--roles-path, then RACKPLAY_ROLES_PATH). */
  readonly rolesPath?: readonly string[];
  /** Folders of user modules (--module-path, then RACKPLAY_MODULE_PATH), searched after `modules/` beside the playbook. */
  readonly modulePath?: readonly string[];
}

export async function loadRun(
  playbookFiles: readonly string[],
  inventorySources: readonly string[],
  extraVars: Readonly<Record<string, unknown>>,
  options: LoadOptions = {},
): Promise<LoadedRun> {
  const problems: RackplayError[] = [];
  const varDirs = [...new Set(playbookFiles.map((file) => dirname(resolve(file))))];
  const inventory = await loadInventoryCollecting(inventorySources, varDirs, problems);
  // User modules first: they decide which task keys are modules and what their params may be.
  const userModules = await loadUserModules({ playbookDirs: varDirs, modulePath: options.modulePath ?? [] });
  problems.push(...userModules.problems);
  activateUserModules(userModules.modules);
  const context: LoadContext = { problems, importStack: [], nextId: 0, rolesPath: options.rolesPath };
  const playbooks: Playbook[] = [];
  for (const file of playbookFiles) {
    const playbook = await loadPlaybook(file, context);
    if (playbook !== undefined) playbooks.push(playbook);
  }
  const outsideNames = new Set<string>(Object.keys(extraVars));
  for (const host of inventory.hosts.keys()) for (const name of Object.keys(hostVariables(inventory, host))) outsideNames.add(name);
  for (const playbook of playbooks) problems.push(...checkPlaybookSemantics(playbook, outsideNames));
  return { playbooks, inventory, problems: sortProblems(problems) };
}

async function loadInventoryCollecting(sources: readonly string[], varDirs: string[], problems: RackplayError[]): Promise<Inventory> {
  try {
    return sources.length === 0 ? await implicitInventory({ varDirs }) : await loadInventory([...sources], { varDirs });
  } catch (error) {
    if (error instanceof ValidationFailure) problems.push(...error.problems);
    else if (error instanceof RackplayError) problems.push(error);
    else throw error;
    return implicitInventory({ varDirs: [] });
  }
}

/** Sorted by position; a role used twice reports a problem in its files once. */
function sortProblems(problems: readonly RackplayError[]): RackplayError[] {
  const unique = [...new Map(problems.map((problem) => [problem.format(), problem])).values()];
  const key = (problem: RackplayError) => [problem.position?.file ?? '', problem.position?.line ?? 0, problem.position?.col ?? 0] as const;
  return unique.sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa === fb ? (la === lb ? ca - cb : la - lb) : fa < fb ? -1 : 1;
  });
}
