import type { TaskRef } from '../events.js';
import type { BlockNode, Play, PlayNode, TaskNode } from '../load/model.js';
import { asList } from '../load/values.js';
import { locate } from '../load/yaml-source.js';
import { isSelectedByTags } from './tags.js';
import type { IncludeGate } from './include-role.js';
import type { EffectiveTask, InheritedKeywords as Inherited } from './state.js';

/** A play's tasks with every enclosing keyword folded in, and tag selection already applied. */
export type EffectiveNode =
  | { readonly kind: 'task'; readonly task: EffectiveTask }
  | {
      readonly kind: 'block';
      readonly block: readonly EffectiveNode[];
      readonly rescue: readonly EffectiveNode[];
      readonly always: readonly EffectiveNode[];
      /** Set for include_role: whether and how often `block` runs is decided per host when it is reached. */
      readonly include?: IncludeGate;
    };

export interface TagFilter {
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
}

export function playInheritance(play: Play): Inherited {
  return {
    when: [],
    tags: play.tags,
    vars: {},
    environment: play.environment === undefined ? [] : [play.environment],
    become: play.become ?? false,
    becomeUser: play.become_user,
    ignoreErrors: false,
    noLog: play.no_log ?? false,
    checkMode: play.check_mode,
    runOnce: false,
    rescuable: false,
    anyErrorsFatal: play.any_errors_fatal,
  };
}

function inherit(outer: Inherited, node: PlayNode): Inherited {
  const k = node.keywords;
  return {
    when: k.when === undefined ? outer.when : [...outer.when, ...asList(k.when)],
    tags: [...outer.tags, ...asList(k.tags)],
    vars: k.vars === undefined ? outer.vars : { ...outer.vars, ...k.vars },
    environment: k.environment === undefined ? outer.environment : [...outer.environment, k.environment],
    become: k.become ?? outer.become,
    becomeUser: k.become_user ?? outer.becomeUser,
    ignoreErrors: k.ignore_errors ?? outer.ignoreErrors,
    noLog: k.no_log ?? outer.noLog,
    checkMode: k.check_mode ?? outer.checkMode,
    delegateTo: k.delegate_to ?? outer.delegateTo,
    runOnce: k.run_once ?? outer.runOnce,
    timeoutSeconds: k.timeout ?? outer.timeoutSeconds,
    rescuable: outer.rescuable,
    anyErrorsFatal: (k as { any_errors_fatal?: boolean }).any_errors_fatal ?? outer.anyErrorsFatal,
  };
}

export function effectiveNodes(nodes: readonly PlayNode[], outer: Inherited, filter: TagFilter, isHandler = false): EffectiveNode[] {
  const result: EffectiveNode[] = [];
  for (const node of nodes) {
    const inherited = inherit(outer, node);
    if (node.kind === 'task') {
      if (!isHandler && !isSelectedByTags(new Set(inherited.tags), filter.tags, filter.skipTags)) continue;
      result.push({ kind: 'task', task: effectiveTask(node, inherited, isHandler) });
      continue;
    }
    if (node.includeRole !== undefined) {
      // The include's own `when` is decided once per host at the include; its tasks do not repeat it.
      const included = effectiveNodes(node.block, { ...inherited, when: outer.when }, filter, isHandler);
      if (included.length > 0) result.push({ kind: 'block', block: included, rescue: [], always: [], include: includeGate(node, inherited) });
      continue;
    }
    const block = effectiveNodes(node.block, { ...inherited, rescuable: inherited.rescuable || node.rescue.length > 0 }, filter, isHandler);
    const rescue = effectiveNodes(node.rescue, inherited, filter, isHandler);
    const always = effectiveNodes(node.always, inherited, filter, isHandler);
    if (block.length + rescue.length + always.length > 0) result.push({ kind: 'block', block, rescue, always });
  }
  return result;
}

function includeGate(node: BlockNode, inherited: Inherited): IncludeGate {
  const position = locate(node.ref.source, node.ref.path);
  const ref: TaskRef = { id: node.id, name: node.name, module: 'include_role', source: `${position.file}:${position.line}:${position.col}`, isHandler: false, noLog: inherited.noLog };
  const { loop, loop_control: loopControl } = node.keywords;
  return { ref, when: inherited.when, loop: loop ?? (node.keywords as { with_items?: unknown }).with_items, loopControl, vars: inherited.vars, role: node.role, ignoreErrors: inherited.ignoreErrors, rescuable: inherited.rescuable };
}

function effectiveTask(node: TaskNode, inherited: Inherited, isHandler: boolean): EffectiveTask {
  const position = locate(node.ref.source, node.ref.path);
  const ref: TaskRef = {
    id: node.id,
    // Ansible's display: a role's tasks are `role : task`.
    name: node.role === undefined ? node.name : `${node.role.name} : ${node.name}`,
    module: node.module,
    source: `${position.file}:${position.line}:${position.col}`,
    isHandler,
    noLog: inherited.noLog,
  };
  return { node, ref, ...inherited, tags: new Set(inherited.tags) };
}

export function countTasks(nodes: readonly EffectiveNode[]): number {
  return nodes.reduce((sum, node) => sum + (node.kind === 'task' ? 1 : countTasks(node.block) + countTasks(node.rescue) + countTasks(node.always)), 0);
}
