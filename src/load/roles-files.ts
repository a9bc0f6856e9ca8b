import { join } from 'node:path';
import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { roleFile } from './roles-find.js';
import { isMapping } from './values.js';
import { loadVarsFile } from './vars-file.js';
import { loadYamlSource, locate } from './yaml-source.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

/** Which file of each role folder to read; `main` unless import_role/include_role says otherwise. */
export interface RoleFrom {
  readonly tasks?: string;
  readonly vars?: string;
  readonly defaults?: string;
  readonly handlers?: string;
}

/** A dependency as written in meta/main.yml, with where it was written. */
export interface RoleDependency {
  readonly entry: unknown;
  readonly source: YamlSource;
  readonly path: YamlPath;
}

export interface RoleFiles {
  readonly defaults: Record<string, unknown>;
  readonly vars: Record<string, unknown>;
  /** The defaults and vars files as parsed, when they hold templates (for checks with positions). */
  readonly defaultsSource?: YamlSource;
  readonly varsSource?: YamlSource;
  readonly dependencies: readonly RoleDependency[];
  readonly allowDuplicates: boolean;
  readonly tasks?: YamlSource;
  readonly handlers?: YamlSource;
}

/** Reads a role's defaults, vars, meta, tasks and handlers; every problem is positioned in the role's own file. */
export async function readRoleFiles(root: string, from: RoleFrom, usedAt: SourcePosition, problems: RackplayError[]): Promise<RoleFiles> {
  const defaults = await readVars(root, 'defaults', from.defaults, usedAt, problems);
  const vars = await readVars(root, 'vars', from.vars, usedAt, problems);
  const meta = await readMeta(root, problems);
  const tasks = await readYaml(root, 'tasks', from.tasks, usedAt, problems);
  const handlers = await readYaml(root, 'handlers', from.handlers, usedAt, problems);
  return { defaults: defaults.vars, vars: vars.vars, defaultsSource: defaults.source, varsSource: vars.source, ...meta, tasks, handlers };
}

/** The file `folder/<base>` of a role; a missing main is an empty section, a missing `*_from` file is an error. */
function locateFile(root: string, folder: string, base: string | undefined, usedAt: SourcePosition, problems: RackplayError[]): string | undefined {
  const file = roleFile(root, folder, base ?? 'main');
  if (file === undefined && base !== undefined) {
    problems.push(new RackplayError('E_FILE_NOT_FOUND', `role file not found: ${join(root, folder, base)}(.yml|.yaml)`, usedAt));
  }
  return file;
}

async function readVars(root: string, folder: string, base: string | undefined, usedAt: SourcePosition, problems: RackplayError[]): Promise<{ vars: Record<string, unknown>; source?: YamlSource }> {
  const file = locateFile(root, folder, base, usedAt, problems);
  if (file === undefined) return { vars: {} };
  const loaded = await loadVarsFile(file);
  problems.push(...loaded.problems);
  const vars = loaded.vars ?? {};
  // Parsed again for positions only when there are templates to check; most defaults are plain values.
  const source = JSON.stringify(vars).includes('{{') ? (await loadYamlSource(file)).source : undefined;
  return { vars, source };
}

async function readYaml(root: string, folder: string, base: string | undefined, usedAt: SourcePosition, problems: RackplayError[]): Promise<YamlSource | undefined> {
  const file = locateFile(root, folder, base, usedAt, problems);
  if (file === undefined) return undefined;
  const loaded = await loadYamlSource(file);
  problems.push(...loaded.problems);
  return loaded.problems.length > 0 ? undefined : loaded.source;
}

async function readMeta(root: string, problems: RackplayError[]): Promise<Pick<RoleFiles, 'dependencies' | 'allowDuplicates'>> {
  const none = { dependencies: [], allowDuplicates: false };
  const file = roleFile(root, 'meta', 'main');
  if (file === undefined) return none;
  const loaded = await loadYamlSource(file);
  problems.push(...loaded.problems);
  const source = loaded.source;
  if (source === undefined || loaded.problems.length > 0 || source.data === null || source.data === undefined) return none;
  if (!isMapping(source.data)) {
    problems.push(new RackplayError('E_SCHEMA', 'meta/main.yml must be a mapping (dependencies, allow_duplicates, galaxy_info)', locate(source, [])));
    return none;
  }
  const { dependencies, allow_duplicates: allowDuplicates } = source.data;
  if (allowDuplicates !== undefined && typeof allowDuplicates !== 'boolean') {
    problems.push(new RackplayError('E_WRONG_TYPE', 'allow_duplicates must be a boolean', locate(source, ['allow_duplicates'])));
  }
  if (dependencies !== undefined && dependencies !== null && !Array.isArray(dependencies)) {
    problems.push(new RackplayError('E_WRONG_TYPE', 'dependencies must be a list of roles', locate(source, ['dependencies'])));
    return { dependencies: [], allowDuplicates: allowDuplicates === true };
  }
  const entries = Array.isArray(dependencies) ? dependencies : [];
  return { dependencies: entries.map((entry, index) => ({ entry, source, path: ['dependencies', index] })), allowDuplicates: allowDuplicates === true };
}
