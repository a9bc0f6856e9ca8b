import { RackplayError } from '../errors.js';
import { FACT_VARIABLE_NAMES } from '../facts/variables.js';
import type { PlayNode, Playbook, RoleScope } from '../load/model.js';
import { playRoleVariables } from '../load/play-roles.js';
import { asList } from '../load/values.js';
import { locate } from '../load/yaml-source.js';
import type { YamlPath, YamlSource } from '../load/yaml-source.js';
import { isTemplate, templateVariables, TemplateError } from '../template/index.js';
import { handlerTopics, MAGIC_VARIABLES, namesDefinedByPlay, roleVariableNames } from './names.js';
import { didYouMean } from './suggest.js';

const CONDITION_KEYWORDS = ['when', 'changed_when', 'failed_when'] as const;

/**
 * Checks what schemas cannot: notify targets, template syntax, and variables that are defined nowhere
 * (not in the inventory, the play, a register, set_fact, extra vars or the magic variables).
 */
export function checkPlaybookSemantics(playbook: Playbook, outsideNames: ReadonlySet<string>): RackplayError[] {
  const problems: RackplayError[] = [];
  // Facts are known from the first play that gathers them on: hosts keep them for the rest of the run.
  let factsGathered = false;
  for (const play of playbook.plays) {
    factsGathered ||= play.gather_facts;
    const playRoles = playRoleVariables(play);
    const known = new Set([...outsideNames, ...MAGIC_VARIABLES, ...namesDefinedByPlay(play), ...Object.keys(playRoles.defaults), ...Object.keys(playRoles.vars), ...(factsGathered ? FACT_VARIABLE_NAMES : [])]);
    const topics = handlerTopics(play);
    let inScope: ReadonlySet<string> = known;
    const checkedRoles = new Set<RoleScope>();
    // A role's defaults, vars and params may refer to each other, to the play's variables and to their parents'.
    const checkRole = (role: RoleScope | undefined): void => {
      for (let scope = role; scope !== undefined && !checkedRoles.has(scope); scope = scope.parent) {
        checkedRoles.add(scope);
        const names = new Set([...known, ...roleVariableNames(scope)]);
        const { defaults, vars, params } = scope.origin;
        if (defaults !== undefined) checkTemplates(defaults, [], scope.defaults, false, names, problems);
        if (vars !== undefined) checkTemplates(vars, [], scope.vars, false, names, problems);
        if (params !== undefined) checkTemplates(params.source, params.path, { ...scope.entryVars, ...scope.params }, false, names, problems);
      }
    };
    const check = (source: YamlSource, path: YamlPath, value: unknown, bare: boolean) => checkTemplates(source, path, value, bare, inScope, problems);
    for (const [key, value] of Object.entries(play.vars)) check(play.ref.source, [...play.ref.path, 'vars', key], value, false);
    check(play.ref.source, [...play.ref.path, 'hosts'], play.hosts, false);
    const visit = (node: PlayNode): void => {
      const { source, path } = node.ref;
      // A role's variables are known to its own tasks (and roles it pulls in) only.
      const roleNames = roleVariableNames(node.role);
      inScope = roleNames.length === 0 ? known : new Set([...known, ...roleNames]);
      checkRole(node.role);
      for (const keyword of CONDITION_KEYWORDS) check(source, [...path, keyword], node.keywords[keyword], true);
      for (const keyword of ['name', 'loop', 'vars', 'environment', 'delegate_to', 'become_user'] as const) {
        check(source, [...path, keyword], node.keywords[keyword], false);
      }
      if (node.kind === 'block') {
        for (const inner of [...node.block, ...node.rescue, ...node.always]) visit(inner);
        return;
      }
      const paramsPath = [...path, node.moduleKey];
      if (node.module === 'assert') {
        const that = (node.params as { that?: unknown }).that;
        check(source, [...paramsPath, 'that'], that, true);
        const { that: _that, ...rest } = node.params as Record<string, unknown>;
        check(source, paramsPath, rest, false);
      } else {
        check(source, paramsPath, node.params, false);
      }
      for (const [index, target] of asList(node.keywords.notify).entries()) {
        if (typeof target !== 'string' || isTemplate(target) || topics.has(target)) continue;
        const notifyPath = Array.isArray(node.keywords.notify) ? [...path, 'notify', index] : [...path, 'notify'];
        problems.push(new RackplayError('E_UNKNOWN_HANDLER', `notify '${target}' names no handler of this play${didYouMean(target, topics)}`, locate(source, notifyPath)));
      }
    };
    for (const node of [...play.tasks, ...play.handlers]) visit(node);
  }
  return problems;
}

function checkTemplates(source: YamlSource, path: YamlPath, value: unknown, bare: boolean, known: ReadonlySet<string>, problems: RackplayError[]): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string') {
    if (!bare && !isTemplate(value)) return;
    try {
      for (const name of templateVariables(value, { bare: bare && !isTemplate(value) })) {
        if (!known.has(name)) {
          problems.push(new RackplayError('E_UNDEFINED_VARIABLE', `undefined variable '${name}'${didYouMean(name, known)}`, locate(source, path)));
        }
      }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const inner = error.line === undefined ? '' : ` (template line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`})`;
      problems.push(new RackplayError('E_TEMPLATE_SYNTAX', `template syntax error: ${error.message}${inner}`, locate(source, path)));
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkTemplates(source, [...path, index], item, bare, known, problems));
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkTemplates(source, [...path, key], item, bare, known, problems);
  }
}
