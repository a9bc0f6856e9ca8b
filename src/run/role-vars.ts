import type { RoleScope } from '../load/model.js';

export interface RoleVariables {
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  /** Ansible's magic variables of the role: role_name and role_path. */
  readonly magic: Readonly<Record<string, unknown>>;
}

const EMPTY: RoleVariables = { defaults: {}, vars: {}, params: {}, magic: {} };

/**
 * The variables a role brings to its tasks: its own, over those of the roles that pulled it in
 * (a role imported from another role's tasks, or a dependency, still sees its parent's).
 */
export function roleVariables(role: RoleScope | undefined): RoleVariables {
  if (role === undefined) return EMPTY;
  const chain: RoleScope[] = [];
  for (let scope: RoleScope | undefined = role; scope !== undefined; scope = scope.parent) chain.unshift(scope);
  const merged = { defaults: {}, vars: {}, params: {} };
  for (const scope of chain) {
    Object.assign(merged.defaults, scope.defaults);
    Object.assign(merged.vars, scope.entryVars, scope.vars);
    Object.assign(merged.params, scope.params);
  }
  return { ...merged, magic: { role_name: role.name, role_path: role.root } };
}
