import type { Play, PlayNode, RoleScope } from './model.js';

export interface PlayRoleVariables {
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
}

const cache = new WeakMap<Play, PlayRoleVariables>();

/**
 * What Ansible exports play-wide from the play's roles (`roles:`, import_role and their dependencies, not
 * include_role), as its default private_role_vars=false does: every such role's defaults and vars, seen by
 * every task of the play. Params stay the role's own. Merged in the order the roles appear.
 */
export function playRoleVariables(play: Play): PlayRoleVariables {
  let found = cache.get(play);
  if (found === undefined) {
    const scopes = new Set<RoleScope>();
    const visit = (node: PlayNode): void => {
      if (node.kind === 'block' && node.includeRole !== undefined) return;
      const chain: RoleScope[] = [];
      for (let scope = node.role; scope !== undefined; scope = scope.parent) chain.unshift(scope);
      for (const scope of chain) scopes.add(scope);
      if (node.kind === 'block') for (const inner of [...node.block, ...node.rescue, ...node.always]) visit(inner);
    };
    for (const node of [...play.tasks, ...play.handlers]) visit(node);
    const defaults: Record<string, unknown> = {};
    const vars: Record<string, unknown> = {};
    for (const scope of scopes) {
      Object.assign(defaults, scope.defaults);
      Object.assign(vars, scope.entryVars, scope.vars);
    }
    found = { defaults, vars };
    cache.set(play, found);
  }
  return found;
}
