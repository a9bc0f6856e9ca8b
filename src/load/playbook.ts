import { dirname, resolve } from 'node:path';
import { RackplayError } from '../errors.js';
import { playbookDefinition, schemaErrors } from '../validate/ajv.js';
import { schemaProblems } from '../validate/params.js';
import { flattenHandlers } from './handlers.js';
import type { Play, PlayNode, Playbook } from './model.js';
import { newRoleLoadState, parsePlayRoles } from './roles.js';
import { parseTaskList } from './task-list.js';
import type { LoadContext } from './task-list.js';
import { asList, isMapping } from './values.js';
import { loadVarsFile } from './vars-file.js';
import { loadYamlSource, locate } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

const TASK_SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const;

/** Loads a playbook and everything it imports; problems are collected, never thrown one by one. */
export async function loadPlaybook(file: string, context: LoadContext): Promise<Playbook | undefined> {
  const path = resolve(file);
  const loaded = await loadYamlSource(path);
  context.problems.push(...loaded.problems);
  if (loaded.source === undefined || loaded.problems.length > 0) return undefined;
  const source = loaded.source;
  const baseDir = dirname(path);
  if (!Array.isArray(source.data)) {
    context.problems.push(new RackplayError('E_SCHEMA', 'a playbook is a list of plays', locate(source, [])));
    return undefined;
  }
  const plays: Play[] = [];
  context.importStack.push(path);
  for (const [index, item] of source.data.entries()) {
    const play = await parsePlay(item, source, index, baseDir, context);
    if (play !== undefined) plays.push(play);
  }
  context.importStack.pop();
  return { file: path, baseDir, plays };
}

async function parsePlay(item: unknown, source: YamlSource, index: number, baseDir: string, context: LoadContext): Promise<Play | undefined> {
  const where = { source, path: [index], baseDir };
  if (!isMapping(item)) {
    context.problems.push(new RackplayError('E_SCHEMA', 'a play must be a mapping with at least hosts', locate(source, [index])));
    return undefined;
  }
  // Task lists are checked task by task below, where each problem gets its own position.
  const shallow: Record<string, unknown> = { ...item };
  // So are role entries, by the role loader, which also reads the roles they name.
  for (const section of [...TASK_SECTIONS, 'roles']) if (Array.isArray(shallow[section])) shallow[section] = [];
  const errors = schemaErrors(playbookDefinition('play'), shallow);
  context.problems.push(...schemaProblems(errors, shallow, { source, path: [index], noun: 'keyword', owner: 'play', skipTemplated: true }));

  const sections: Record<(typeof TASK_SECTIONS)[number], PlayNode[]> = { pre_tasks: [], tasks: [], post_tasks: [], handlers: [] };
  const roles = newRoleLoadState(baseDir, context.rolesPath ?? []);
  context.roles = roles;
  const roleNodes = await parsePlayRoles(item.roles, { ...where, path: [index, 'roles'] }, context);
  for (const section of TASK_SECTIONS) {
    sections[section] = await parseTaskList(item[section], { ...where, path: [index, section] }, context);
  }
  context.roles = undefined;
  const handlers = [...roles.handlers, ...sections.handlers.flatMap((node) => flattenHandlers(node, context.problems))];
  const varsFiles = await loadPlayVarsFiles(item.vars_files, source, index, baseDir, context);
  const name = typeof item.name === 'string' ? item.name : String(asList(item.hosts as string | string[]).join(','));
  return {
    name,
    hosts: asList(item.hosts as string | string[] | undefined).join(':'),
    vars: isMapping(item.vars) ? item.vars : {},
    varsFiles,
    tasks: [...sections.pre_tasks, ...roleNodes, ...sections.tasks, ...sections.post_tasks],
    handlers,
    become: item.become as boolean | undefined,
    become_user: item.become_user as string | undefined,
    serial: item.serial as Play['serial'],
    strategy: item.strategy === 'free' ? 'free' : 'linear',
    max_fail_percentage: item.max_fail_percentage as number | undefined,
    any_errors_fatal: item.any_errors_fatal === true,
    forks: item.forks as number | undefined,
    tags: asList(item.tags as string | string[] | undefined),
    environment: isMapping(item.environment) || typeof item.environment === 'string' ? item.environment : undefined,
    check_mode: item.check_mode as boolean | undefined,
    no_log: item.no_log as boolean | undefined,
    remote_user: item.remote_user as string | undefined,
    gather_facts: item.gather_facts !== false,
    ref: where,
    baseDir,
  };
}

async function loadPlayVarsFiles(value: unknown, source: YamlSource, index: number, baseDir: string, context: LoadContext): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  if (!Array.isArray(value)) return merged;
  for (const [position, entry] of value.entries()) {
    if (typeof entry !== 'string') continue;
    const loaded = await loadVarsFile(resolve(baseDir, entry), locate(source, [index, 'vars_files', position]));
    context.problems.push(...loaded.problems);
    Object.assign(merged, loaded.vars);
  }
  return merged;
}
