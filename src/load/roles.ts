import { join } from 'node:path';
import { RackplayError } from '../errors.js';
import { playbookDefinition, schemaErrors } from '../validate/ajv.js';
import { schemaProblems } from '../validate/params.js';
import { closest } from '../validate/suggest.js';
import { flattenHandlers } from './handlers.js';
import type { BlockNode, RoleScope, TaskKeywords, TaskNode } from './model.js';
import { findRole, roleSearchPath } from './roles-find.js';
import { readRoleFiles } from './roles-files.js';
import type { RoleFrom } from './roles-files.js';
import { checkKeywords, nextId, parseTaskList } from './task-list.js';
import type { LoadContext, Where } from './task-list.js';
import { isMapping } from './values.js';
import { locate } from './yaml-source.js';
import type { YamlPath } from './yaml-source.js';

/** Role bookkeeping for the play being loaded. */
export interface RoleLoadState {
  readonly playbookDir: string;
  readonly searchPath: readonly string[];
  /** Roles already placed by `roles:` or as a dependency, by folder, tasks file and parameters. */
  readonly placed: Set<string>;
  /** Handlers of every role used in the play, once per role folder and handlers file. */
  readonly handlers: TaskNode[];
  readonly handlerFiles: Set<string>;
  /** The roles being expanded, outermost first: a role met again here is a cycle. */
  readonly chain: { readonly key: string; readonly name: string }[];
}

export function newRoleLoadState(playbookDir: string, rolesPath: readonly string[]): RoleLoadState {
  return { playbookDir, searchPath: roleSearchPath(playbookDir, rolesPath), placed: new Set(), handlers: [], handlerFiles: new Set(), chain: [] };
}

/** A role and the roles that pulled it in, innermost first: where copy and template look for files. */
export function roleRoots(role: RoleScope): string[] {
  const roots: string[] = [];
  for (let scope: RoleScope | undefined = role; scope !== undefined; scope = scope.parent) roots.push(scope.root);
  return roots;
}

/** One place a role is used. */
interface RoleUse {
  readonly name: string;
  /** Where the role's name is written, for not-found and cycle errors. */
  readonly namePath: YamlPath;
  readonly params: Readonly<Record<string, unknown>>;
  readonly keywords: TaskKeywords;
  readonly from: RoleFrom;
  readonly at: Where;
  /** `roles:` entries and dependencies run once per play for the same parameters (Ansible's dedupe). */
  readonly dedupe: boolean;
  readonly include: boolean;
}

const STATEMENTS = ['import_role', 'include_role', 'ansible.builtin.import_role', 'ansible.builtin.include_role'];
const LOOP_KEYWORDS = ['loop', 'with_items', 'loop_control'];
const FROM_KEYS: readonly (keyof RoleFrom)[] = ['tasks', 'vars', 'defaults', 'handlers'];

/** Keywords a role use takes: a block's (when, tags, become, vars…), without the block sections. */
function roleKeywordNames(): string[] {
  const names = Object.keys((playbookDefinition('blockKeywords').schema as { properties: object }).properties);
  return names.filter((name) => !['block', 'rescue', 'always'].includes(name));
}

export function isRoleStatement(item: Record<string, unknown>): boolean {
  return STATEMENTS.some((key) => key in item);
}

/** A play's `roles:` section, expanded in order into one block per role (dependencies first, inside it). */
export async function parsePlayRoles(value: unknown, where: Where, context: LoadContext): Promise<BlockNode[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    context.problems.push(new RackplayError('E_WRONG_TYPE', 'roles must be a list of role names or {role: NAME, vars: {...}} entries', locate(where.source, where.path)));
    return [];
  }
  const nodes: BlockNode[] = [];
  for (const [index, entry] of value.entries()) {
    const use = parseRoleEntry(entry, { ...where, path: [...where.path, index] }, context);
    const node = use === undefined ? undefined : await expandRole(use, context);
    if (node !== undefined) nodes.push(node);
  }
  return nodes;
}

/** import_role / include_role in a task list. */
export async function parseRoleStatement(item: Record<string, unknown>, where: Where, context: LoadContext): Promise<BlockNode | undefined> {
  const [key, ...extra] = STATEMENTS.filter((name) => name in item) as [string, ...string[]];
  for (const other of extra) {
    context.problems.push(new RackplayError('E_MULTIPLE_MODULES', `a task has exactly one module, found '${key}' and '${other}'`, locate(where.source, [...where.path, other], { key: true })));
  }
  const include = key.endsWith('include_role');
  const specPath = [...where.path, key];
  const spec = item[key];
  if (!isMapping(spec)) {
    context.problems.push(new RackplayError('E_WRONG_TYPE', `${key} takes a mapping: {name: ROLE, tasks_from: FILE, …}`, locate(where.source, specPath)));
    return undefined;
  }
  const errors = schemaErrors(playbookDefinition('roleImport'), spec);
  context.problems.push(...schemaProblems(errors, spec, { source: where.source, path: specPath, noun: 'parameter', owner: key, skipTemplated: false }));
  if (errors.length > 0 || typeof spec.name !== 'string') return undefined;
  const allowed = [...roleKeywordNames(), ...(include ? LOOP_KEYWORDS : [])];
  const rest = Object.fromEntries(Object.entries(item).filter(([name]) => !STATEMENTS.includes(name)));
  const keywords = useKeywords(rest, allowed, where, context, `${key} keyword`, '');
  const fromValue = (name: string): string | undefined => spec[`${name}_from`] as string | undefined;
  const from: RoleFrom = Object.fromEntries(FROM_KEYS.map((name) => [name, fromValue(name)]));
  const { vars, ...kept } = keywords;
  const use: RoleUse = { name: spec.name, namePath: [...specPath, 'name'], params: vars ?? {}, keywords: kept, from, at: where, dedupe: false, include };
  return expandRole(use, context);
}

/** A `roles:` entry or a meta dependency: `name`, or `{role: name, vars: {...}, when, tags, …}`. */
function parseRoleEntry(entry: unknown, where: Where, context: LoadContext): RoleUse | undefined {
  const base = { from: {}, at: where, dedupe: true, include: false };
  if (typeof entry === 'string') return { ...base, name: entry, namePath: where.path, params: {}, keywords: {} };
  if (!isMapping(entry)) {
    context.problems.push(new RackplayError('E_WRONG_TYPE', 'a role entry is a role name or {role: NAME, vars: {...}}', locate(where.source, where.path)));
    return undefined;
  }
  const nameKey = 'role' in entry ? 'role' : 'name';
  const name = entry[nameKey];
  if (typeof name !== 'string') {
    const message = name === undefined ? 'a role entry needs role: NAME' : `role must be a role name, got ${typeof name}`;
    context.problems.push(new RackplayError(name === undefined ? 'E_MISSING_PARAM' : 'E_WRONG_TYPE', message, locate(where.source, name === undefined ? where.path : [...where.path, nameKey])));
    return undefined;
  }
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => key !== nameKey));
  const keywords = useKeywords(rest, roleKeywordNames(), where, context, 'role keyword', '; role parameters go under vars:');
  const { vars, ...kept } = keywords;
  return { ...base, name, namePath: [...where.path, nameKey], params: vars ?? {}, keywords: kept };
}

/** Checks the keywords of a role use; unknown keys are reported with a suggestion. */
function useKeywords(item: Record<string, unknown>, allowed: readonly string[], where: Where, context: LoadContext, noun: string, hint: string): TaskKeywords {
  for (const key of Object.keys(item)) {
    if (allowed.includes(key)) continue;
    const suggestion = closest(key, allowed);
    const mean = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
    const why = LOOP_KEYWORDS.includes(key) ? ': a role is looped over with include_role, import_role is static' : suggestion === undefined ? hint : '';
    context.problems.push(new RackplayError('E_UNKNOWN_KEYWORD', `unknown ${noun} '${key}'${mean}${why}`, locate(where.source, [...where.path, key], { key: true })));
  }
  const block = checkKeywords(item, allowed.filter((name) => !LOOP_KEYWORDS.includes(name)), 'blockKeywords', where, context);
  const loop = checkKeywords(item, allowed.filter((name) => LOOP_KEYWORDS.includes(name)), 'taskKeywords', where, context);
  return { ...block, ...loop };
}

/**
 * Finds a role, reads and validates all its files, and returns it as one block: its dependencies' blocks first,
 * then its tasks. Its handlers join the play's. Problems are positioned in the file where each is written.
 */
async function expandRole(use: RoleUse, context: LoadContext): Promise<BlockNode | undefined> {
  const state = context.roles;
  if (state === undefined) throw new Error('roles can only be loaded within a play');
  const at = locate(use.at.source, use.namePath);
  if (use.name.includes('{{')) {
    context.problems.push(new RackplayError('E_SCHEMA', `role names must be static ('${use.name}'): roles are loaded and validated before any host is touched`, at));
    return undefined;
  }
  const found = findRole(use.name, state.searchPath, state.playbookDir);
  if (!('root' in found)) {
    const mean = found.suggestion === undefined ? '' : ` (did you mean '${found.suggestion}'?)`;
    context.problems.push(new RackplayError('E_ROLE_NOT_FOUND', `role '${use.name}' not found${mean}; searched ${found.searched.join(', ')}`, at));
    return undefined;
  }
  const key = `${found.root}\0${use.from.tasks ?? 'main'}`;
  const repeated = state.chain.findIndex((entry) => entry.key === key);
  if (repeated >= 0) {
    const cycle = [...state.chain.slice(repeated).map((entry) => entry.name), found.name].join(' -> ');
    context.problems.push(new RackplayError('E_ROLE_CYCLE', `role cycle: ${cycle}`, at));
    return undefined;
  }
  const files = await readRoleFiles(found.root, use.from, at, context.problems);
  if (use.dedupe) {
    const placedKey = `${key}\0${stableJson(use.params)}`;
    if (state.placed.has(placedKey) && !files.allowDuplicates) return undefined;
    state.placed.add(placedKey);
  }
  const origin = { defaults: files.defaultsSource, vars: files.varsSource, params: { source: use.at.source, path: [...use.at.path, 'vars'] } };
  // A roles: entry's or dependency's vars: rank below vars/main.yml; import_role/include_role vars are params above it.
  const [params, entryVars] = use.dedupe ? [{}, use.params] : [use.params, {}];
  const scope: RoleScope = { name: found.name, root: found.root, defaults: files.defaults, vars: files.vars, params, entryVars, parent: use.at.role, origin };
  state.chain.push({ key, name: found.name });
  try {
    const dependencies: BlockNode[] = [];
    for (const dependency of files.dependencies) {
      const dependencyUse = parseRoleEntry(dependency.entry, { source: dependency.source, path: dependency.path, baseDir: found.root, role: scope }, context);
      const node = dependencyUse === undefined ? undefined : await expandRole(dependencyUse, context);
      if (node !== undefined) dependencies.push(node);
    }
    const where = (source: NonNullable<typeof files.tasks>, folder: string): Where => ({ source, path: [], baseDir: join(found.root, folder), role: scope });
    const tasks = files.tasks === undefined ? [] : await parseTaskList(files.tasks.data, where(files.tasks, 'tasks'), context);
    const handlersKey = `${found.root}\0${use.from.handlers ?? 'main'}`;
    if (files.handlers !== undefined && !state.handlerFiles.has(handlersKey)) {
      state.handlerFiles.add(handlersKey);
      const handlers = await parseTaskList(files.handlers.data, where(files.handlers, 'handlers'), context);
      state.handlers.push(...handlers.flatMap((node) => flattenHandlers(node, context.problems)));
    }
    const name = use.keywords.name ?? `${use.include ? 'include_role' : 'role'} : ${found.name}`;
    return {
      kind: 'block',
      id: nextId(context),
      name,
      block: [...dependencies, ...tasks],
      rescue: [],
      always: [],
      keywords: use.keywords,
      ref: { source: use.at.source, path: use.at.path },
      includeRole: use.include ? found.name : undefined,
      role: use.include ? use.at.role : scope,
    };
  } finally {
    state.chain.pop();
  }
}

/** JSON with sorted keys: two uses with the same parameters in another order are the same use. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isMapping(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
