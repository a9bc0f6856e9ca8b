import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RackplayError } from '../errors.js';
import { setUserModuleSchemas } from '../validate/ajv.js';
import { setUserModules } from './registry.js';
import type { RegisteredUserModule } from './registry.js';
import { readModulesConfig } from './user-modules-config.js';
import { moduleFoldersIn, packageCandidate } from './user-modules-find.js';
import type { ModuleCandidate } from './user-modules-find.js';
import { loadUserModule } from './user-modules-load.js';
import type { UserModule } from './user-modules-load.js';

export type { UserModule } from './user-modules-load.js';

export interface UserModuleSources {
  /** Folders of the playbooks: `modules/` and `rackplay.config.yml` beside each. */
  readonly playbookDirs: readonly string[];
  /** --module-path folders, then RACKPLAY_MODULE_PATH's. */
  readonly modulePath: readonly string[];
}

/**
 * Finds and loads every user module, in this order, the first of a name winning: `modules/` beside each playbook,
 * the --module-path folders, then the npm packages named in each playbook's rackplay.config.yml.
 */
export async function loadUserModules(sources: UserModuleSources): Promise<{ modules: UserModule[]; problems: RackplayError[] }> {
  const problems: RackplayError[] = [];
  const candidates: ModuleCandidate[] = [];
  for (const dir of sources.playbookDirs) {
    const folder = join(dir, 'modules');
    if (existsSync(folder)) candidates.push(...(await moduleFoldersIn(folder, 'modules/ beside the playbook')));
  }
  for (const dir of sources.modulePath) {
    if (existsSync(dir)) candidates.push(...(await moduleFoldersIn(dir, '--module-path')));
    else problems.push(new RackplayError('E_MODULE_NOT_FOUND', `module path ${resolve(dir)} does not exist`));
  }
  for (const dir of sources.playbookDirs) {
    const config = await readModulesConfig(dir);
    problems.push(...config.problems);
    for (const configured of config.packages) {
      const candidate = await packageCandidate(configured);
      if (candidate instanceof RackplayError) problems.push(candidate);
      else candidates.push(candidate);
    }
  }
  const modules = new Map<string, UserModule>();
  const seenFolders = new Set<string>();
  for (const candidate of candidates) {
    if (seenFolders.has(candidate.folder) || (candidate.packageName === undefined && modules.has(candidate.name))) continue;
    seenFolders.add(candidate.folder);
    const loaded = await loadUserModule(candidate);
    if (loaded instanceof RackplayError) problems.push(loaded);
    else if (!modules.has(loaded.name)) modules.set(loaded.name, loaded);
  }
  return { modules: [...modules.values()], problems };
}

/** Makes the loaded user modules the ones tasks, validation and `rackplay doc` see, replacing the previous load's. */
export function activateUserModules(modules: readonly UserModule[]): void {
  const registered = new Map<string, RegisteredUserModule>(
    modules.map((module) => [module.name, { definition: module.definition, schema: module.schema, source: `${module.folder} (${module.origin})` }]),
  );
  setUserModules(registered);
  setUserModuleSchemas(new Map(modules.map((module) => [module.name, module.schema])));
}

/** --module-path entries, then RACKPLAY_MODULE_PATH's; each may hold several folders separated by ':'. */
export function modulePathFrom(flags: readonly string[], environment = process.env.RACKPLAY_MODULE_PATH): string[] {
  return [...flags, environment ?? ''].flatMap((entry) => entry.split(':')).filter((dir) => dir !== '');
}
