import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RackplayError } from '../errors.js';
import { canonicalModuleName, findModule, moduleNames, moduleSchema } from '../module/registry.js';
import { moduleParamsValidator, playbookDefinition, schemaErrors } from '../validate/ajv.js';
import { moduleRuleProblems, schemaProblems } from '../validate/params.js';
import { closest } from '../validate/suggest.js';
import type { BlockNode, PlayNode, RoleScope, TaskKeywords, TaskNode } from './model.js';
import { isRoleStatement, parseRoleStatement, roleRoots } from './roles.js';
import type { RoleLoadState } from './roles.js';
import { isMapping } from './values.js';
import { loadVarsFile } from './vars-file.js';
import { locate, loadYamlSource } from './yaml-source.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

const BLOCK_SECTIONS = ['block', 'rescue', 'always'] as const;

/** Shared state of one load: problems collected, ids handed out, imports in progress. */
export interface LoadContext {
  readonly problems: RackplayError[];
  readonly importStack: string[];
  nextId: number;
  /** Extra role folders (--roles-path, RACKPLAY_ROLES_PATH), searched after `roles/` beside the playbook. */
  readonly rolesPath?: readonly string[];
  /** Roles of the play being loaded: dedupe, handlers, the dependency chain. */
  roles?: RoleLoadState;
}

export interface Where {
  readonly source: YamlSource;
  readonly path: YamlPath;
  readonly baseDir: string;
  /** Set inside a role's task files. */
  readonly role?: RoleScope;
}

const taskKeywordNames = (): string[] => Object.keys((playbookDefinition('taskKeywords').schema as { properties: object }).properties);
const blockKeywordNames = (): string[] => Object.keys((playbookDefinition('blockKeywords').schema as { properties: object }).properties);

/** Parses a list of tasks and blocks; every problem is recorded, and the valid parts are still returned. */
export async function parseTaskList(items: unknown, where: Where, context: LoadContext): Promise<PlayNode[]> {
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    context.problems.push(new RackplayError('E_SCHEMA', 'a task list must be a sequence', locate(where.source, where.path)));
    return [];
  }
  const nodes: PlayNode[] = [];
  for (const [index, item] of items.entries()) {
    const node = await parseEntry(item, { ...where, path: [...where.path, index] }, context);
    if (node !== undefined) nodes.push(node);
  }
  return nodes;
}

async function parseEntry(item: unknown, where: Where, context: LoadContext): Promise<PlayNode | undefined> {
  if (!isMapping(item)) {
    context.problems.push(new RackplayError('E_SCHEMA', 'a task must be a mapping of a module and its keywords', locate(where.source, where.path)));
    return undefined;
  }
  if ('block' in item) return parseBlock(item, where, context);
  if ('import_tasks' in item) return parseImport(item, where, context);
  if (isRoleStatement(item)) return parseRoleStatement(item, where, context);
  return parseTask(item, where, context);
}

export function checkKeywords(item: Record<string, unknown>, keywordNames: readonly string[], kind: 'taskKeywords' | 'blockKeywords', where: Where, context: LoadContext): TaskKeywords {
  const keywords: Record<string, unknown> = {};
  for (const name of keywordNames) if (name in item) keywords[name] = item[name];
  const errors = schemaErrors(playbookDefinition(kind), keywords);
  context.problems.push(...schemaProblems(errors, keywords, { source: where.source, path: where.path, noun: 'keyword', owner: 'task', skipTemplated: true }));
  return keywords as TaskKeywords;
}

async function parseBlock(item: Record<string, unknown>, where: Where, context: LoadContext): Promise<BlockNode> {
  const names = blockKeywordNames();
  for (const key of Object.keys(item)) {
    if (!names.includes(key)) {
      const suggestion = closest(key, names);
      const hint = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
      context.problems.push(new RackplayError('E_UNKNOWN_KEYWORD', `unknown block keyword '${key}'${hint}`, locate(where.source, [...where.path, key], { key: true })));
    }
  }
  const keywords = checkKeywords(item, names, 'blockKeywords', where, context);
  const sections: Record<(typeof BLOCK_SECTIONS)[number], PlayNode[]> = { block: [], rescue: [], always: [] };
  for (const section of BLOCK_SECTIONS) {
    sections[section] = await parseTaskList(item[section], { ...where, path: [...where.path, section] }, context);
  }
  return { kind: 'block', id: nextId(context), name: keywords.name ?? 'block', ...sections, keywords, ref: { source: where.source, path: where.path }, role: where.role };
}

async function parseImport(item: Record<string, unknown>, where: Where, context: LoadContext): Promise<BlockNode | undefined> {
  const target = item.import_tasks;
  const at = locate(where.source, [...where.path, 'import_tasks']);
  if (typeof target !== 'string') {
    context.problems.push(new RackplayError('E_SCHEMA', 'import_tasks must be a file name', at));
    return undefined;
  }
  const { import_tasks: _ignored, ...rest } = item;
  const keywords = checkKeywords(rest, blockKeywordNames(), 'blockKeywords', where, context);
  const file = resolve(where.baseDir, target);
  if (context.importStack.includes(file)) {
    context.problems.push(new RackplayError('E_SCHEMA', `import_tasks cycle: ${[...context.importStack, file].join(' -> ')}`, at));
    return undefined;
  }
  const loaded = await loadYamlSource(file, at);
  context.problems.push(...loaded.problems);
  if (loaded.source === undefined || loaded.problems.length > 0) return undefined;
  context.importStack.push(file);
  const tasks = await parseTaskList(loaded.source.data, { source: loaded.source, path: [], baseDir: dirname(file), role: where.role }, context);
  context.importStack.pop();
  return { kind: 'block', id: nextId(context), name: `import_tasks ${target}`, block: tasks, rescue: [], always: [], keywords, ref: { source: where.source, path: where.path }, role: where.role };
}

async function parseTask(item: Record<string, unknown>, where: Where, context: LoadContext): Promise<TaskNode | undefined> {
  const keywordNames = taskKeywordNames();
  const moduleKeys: string[] = [];
  const unknownKeys: string[] = [];
  for (const key of Object.keys(item)) {
    if (keywordNames.includes(key)) continue;
    if (findModule(key) !== undefined) moduleKeys.push(key);
    else unknownKeys.push(key);
  }
  const taskPosition = locate(where.source, where.path);
  for (const key of unknownKeys) reportUnknownKey(key, moduleKeys.length > 0, keywordNames, where, context);
  for (const extra of moduleKeys.slice(1)) {
    context.problems.push(
      new RackplayError('E_MULTIPLE_MODULES', `a task has exactly one module, found '${moduleKeys[0]}' and '${extra}'`, locate(where.source, [...where.path, extra], { key: true })),
    );
  }
  const keywords = checkKeywords(item, keywordNames, 'taskKeywords', where, context);
  const moduleKey = moduleKeys[0];
  if (moduleKey === undefined) {
    if (unknownKeys.length === 0) context.problems.push(new RackplayError('E_NO_MODULE', 'a task needs a module (copy, command, …)', taskPosition));
    return undefined;
  }
  const moduleName = canonicalModuleName(moduleKey);
  const params = moduleParams(moduleName, item[moduleKey], item.args);
  const paramsPath = [...where.path, moduleKey];
  if (params === undefined) {
    context.problems.push(new RackplayError('E_WRONG_TYPE', `parameters of module ${moduleName} must be a mapping`, locate(where.source, paramsPath)));
    return undefined;
  }
  const errors = schemaErrors(moduleParamsValidator(moduleName), params);
  context.problems.push(
    ...schemaProblems(errors, params, { source: where.source, path: paramsPath, noun: 'parameter', owner: `module ${moduleName}`, skipTemplated: true, schema: moduleSchema(moduleName) }),
  );
  if (errors.length === 0) context.problems.push(...moduleRuleProblems(moduleName, params, { source: where.source, path: paramsPath, noun: 'parameter', owner: `module ${moduleName}`, skipTemplated: true }));
  const preloadedVars = moduleName === 'include_vars' ? await preloadVars(params, where, paramsPath, context) : undefined;
  // Unnamed tasks show the module only, as in Ansible: free-form text may hold secrets (no_log).
  const name = keywords.name ?? moduleName;
  const role = where.role;
  const roleFields = role === undefined ? {} : { role, searchDirs: roleRoots(role) };
  return { kind: 'task', id: nextId(context), name, module: moduleName, moduleKey, params, keywords, ref: { source: where.source, path: where.path }, baseDir: where.baseDir, preloadedVars, ...roleFields };
}

function reportUnknownKey(key: string, hasModule: boolean, keywordNames: readonly string[], where: Where, context: LoadContext): void {
  const position = locate(where.source, [...where.path, key], { key: true });
  const moduleSuggestion = closest(key, moduleNames());
  const keywordSuggestion = closest(key, keywordNames);
  if (!hasModule || (moduleSuggestion !== undefined && keywordSuggestion === undefined)) {
    const hint = moduleSuggestion === undefined ? '' : ` (did you mean '${moduleSuggestion}'?)`;
    context.problems.push(new RackplayError('E_UNKNOWN_MODULE', `unknown module '${key}'${hint}`, position));
  } else {
    const hint = keywordSuggestion === undefined ? '' : ` (did you mean '${keywordSuggestion}'?)`;
    context.problems.push(new RackplayError('E_UNKNOWN_KEYWORD', `unknown task keyword '${key}'${hint}`, position));
  }
}

/** Free-form strings (`command: ls -l`) become the module's params object; `args:` merges in. */
export function moduleParams(moduleName: string, value: unknown, args: unknown): Record<string, unknown> | undefined {
  const module = findModule(moduleName);
  let params: Record<string, unknown> | undefined;
  if (value === null || value === undefined) params = {};
  else if (typeof value === 'string' && module?.freeForm) params = module.freeForm(value) as Record<string, unknown>;
  else if (isMapping(value)) params = value;
  else if (typeof value === 'string' || Array.isArray(value) || typeof value !== 'object') params = undefined;
  if (params !== undefined && isMapping(args)) params = { ...args, ...params };
  return params;
}

async function preloadVars(params: Record<string, unknown>, where: Where, paramsPath: YamlPath, context: LoadContext): Promise<Record<string, unknown> | undefined> {
  if (typeof params.file !== 'string') return undefined;
  // In a role, as in Ansible, a relative name not beside the task file is looked up in the role's vars/.
  const beside = resolve(where.baseDir, params.file);
  const inRole = where.role === undefined || existsSync(beside) ? beside : resolve(where.role.root, 'vars', params.file);
  const loaded = await loadVarsFile(inRole, locate(where.source, paramsPath));
  context.problems.push(...loaded.problems);
  return loaded.vars;
}

export function nextId(context: LoadContext): string {
  context.nextId += 1;
  return `t${context.nextId}`;
}
