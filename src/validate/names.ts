import type { Play, PlayNode, RoleScope, TaskNode } from '../load/model.js';
import { asList, isMapping } from '../load/values.js';

/** Variables the engine itself provides to every task. */
export const MAGIC_VARIABLES: readonly string[] = [
  'inventory_hostname',
  'inventory_hostname_short',
  'group_names',
  'groups',
  'hostvars',
  'playbook_dir',
  'ansible_check_mode',
  'ansible_diff_mode',
  'ansible_play_hosts',
  'ansible_play_hosts_all',
  'ansible_play_batch',
  'play_hosts',
  'ansible_loop',
  'ansible_index_var',
  'item',
];

/** Every variable name a play can define before or while it runs: the static view validation relies on. */
export function namesDefinedByPlay(play: Play): Set<string> {
  const names = new Set<string>([...Object.keys(play.vars), ...Object.keys(play.varsFiles)]);
  const visit = (node: PlayNode): void => {
    for (const name of Object.keys(node.keywords.vars ?? {})) names.add(name);
    // Keywords of the wrong type are the schema's to report; only strings name variables.
    const add = (name: unknown): void => {
      if (typeof name === 'string') names.add(name);
    };
    add(node.keywords.loop_control?.loop_var);
    add((node.keywords.loop_control as { index_var?: unknown } | undefined)?.index_var);
    if (node.kind === 'block') {
      for (const inner of [...node.block, ...node.rescue, ...node.always]) visit(inner);
      return;
    }
    add(node.keywords.register);
    if (node.module === 'set_fact' && isMapping(node.params)) for (const name of Object.keys(node.params)) names.add(name);
    if (node.module === 'include_vars') {
      const params = node.params as { name?: unknown };
      add(params.name);
      for (const name of Object.keys(node.preloadedVars ?? {})) names.add(name);
    }
  };
  for (const node of [...play.tasks, ...play.handlers]) visit(node);
  return names;
}

/** A role's defaults, vars and params, and those of the roles that pulled it in. */
export function roleVariableNames(role: RoleScope | undefined): string[] {
  const names: string[] = role === undefined ? [] : ['role_name', 'role_path'];
  for (let scope = role; scope !== undefined; scope = scope.parent) names.push(...Object.keys(scope.defaults), ...Object.keys(scope.vars), ...Object.keys(scope.entryVars), ...Object.keys(scope.params));
  return names;
}

export function handlerTopics(play: Play): Set<string> {
  return new Set(play.handlers.flatMap(handlerNames));
}

/** What a notify can name to reach a handler: its name, its listen topics, and `role : name` for a role's. */
export function handlerNames(handler: TaskNode): string[] {
  // A name or listen of the wrong type is reported by the schema; it names nothing here.
  const names = [handler.name, ...asList(handler.keywords.listen)].filter((name): name is string => typeof name === 'string');
  if (handler.role !== undefined) names.push(`${handler.role.name} : ${handler.name}`);
  return names;
}
