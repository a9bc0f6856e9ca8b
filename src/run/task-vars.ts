import { hostVariables } from '../inventory/index.js';
import type { Play, RoleScope } from '../load/model.js';
import { playRoleVariables } from '../load/play-roles.js';
import { includeLayers } from './include-scope.js';
import { roleVariables } from './role-vars.js';
import type { EffectiveTask, HostRun, RunContext } from './state.js';
import { mergeVariables } from './variables.js';

/** The play being run, as the variables of its tasks see it. */
export interface PlayScope {
  readonly play: Play;
  readonly playHosts: readonly string[];
  readonly batch: readonly string[];
}

/** Where in the play a set of variables is read: the block and task vars in force, and the enclosing role. */
export interface VarsAt {
  readonly vars: Readonly<Record<string, unknown>>;
  readonly role?: RoleScope;
}

/**
 * The variables a task sees on a host, low to high: role defaults, inventory (group < host), gathered facts, play vars,
 * vars_files, role vars, block and task vars, include_vars, registered/set_fact, role params, extra vars; then the magic
 * variables and the loop variables of enclosing include_role statements.
 */
export function taskVariables(run: RunContext, scope: PlayScope, task: EffectiveTask | undefined, host: HostRun, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return variablesAt(run, scope, { vars: task?.vars ?? {}, role: task?.node.role }, host, extra);
}

export function variablesAt(run: RunContext, scope: PlayScope, at: VarsAt, host: HostRun, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const role = roleVariables(at.role);
  const playRoles = playRoleVariables(scope.play);
  return mergeVariables([
    // The play's roles export their defaults and vars play-wide (Ansible's private_role_vars=false).
    { values: playRoles.defaults, source: true },
    { values: role.defaults, source: true },
    { values: host.inventoryVars, source: true },
    // Gathered facts sit where Ansible puts host facts: above inventory host vars, below play vars.
    { values: host.gatheredFacts ?? {}, source: false },
    { values: scope.play.vars, source: true },
    { values: scope.play.varsFiles, source: true },
    { values: playRoles.vars, source: true },
    { values: role.vars, source: true },
    // Ansible's order from here: block and task vars < include_vars < set_fact and registered < role params.
    { values: at.vars, source: true },
    { values: host.includedVars, source: false },
    { values: host.facts, source: false },
    { values: role.params, source: true },
    { values: run.options.extraVars, source: true },
    { values: magicVariables(run, host), source: false },
    { values: role.magic, source: false },
    { computed: computedMagic(run, scope) },
    ...includeLayers(host).map((values) => ({ values, source: false })),
    { values: extra, source: false },
  ]);
}

function magicVariables(run: RunContext, host: HostRun): Record<string, unknown> {
  return {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0],
    groups: run.groups,
    playbook_dir: run.playbookDir,
    ansible_check_mode: run.options.check,
    ansible_diff_mode: run.options.diff,
  };
}

function computedMagic(run: RunContext, scope: PlayScope): Record<string, () => unknown> {
  return {
    hostvars: () => hostvarsView(run),
    ansible_play_hosts: () => scope.playHosts.filter((name) => run.hosts.get(name)?.active ?? false),
    ansible_play_hosts_all: () => scope.playHosts,
    ansible_play_batch: () => scope.batch,
    play_hosts: () => scope.batch,
  };
}

const hostvarsViews = new WeakMap<RunContext, Record<string, unknown>>();

/** hostvars.<host>: each host's inventory variables and facts, computed only when read. */
function hostvarsView(run: RunContext): Record<string, unknown> {
  const cached = hostvarsViews.get(run);
  if (cached !== undefined) return cached;
  const view: Record<string, unknown> = {};
  hostvarsViews.set(run, view);
  for (const name of run.inventory.hosts.keys()) {
    Object.defineProperty(view, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        const host = run.hosts.get(name);
        return mergeVariables([
          { values: host?.inventoryVars ?? hostVariables(run.inventory, name), source: true },
          { values: host?.gatheredFacts ?? {}, source: false },
          { values: host?.includedVars ?? {}, source: false },
          { values: host?.facts ?? {}, source: false },
        ]);
      },
    });
  }
  return view;
}
