import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assertModule from '../../modules/assert/index.js';
import command from '../../modules/command/index.js';
import copy from '../../modules/copy/index.js';
import debug from '../../modules/debug/index.js';
import fail from '../../modules/fail/index.js';
import file from '../../modules/file/index.js';
import includeVars from '../../modules/include_vars/index.js';
import iptablesRule from '../../modules/iptables_rule/index.js';
import ipvsService from '../../modules/ipvs_service/index.js';
import lineinfile from '../../modules/lineinfile/index.js';
import lxcContainer from '../../modules/lxc_container/index.js';
import serfAgent from '../../modules/serf_agent/index.js';
import serfEvent from '../../modules/serf_event/index.js';
import setFact from '../../modules/set_fact/index.js';
import shell from '../../modules/shell/index.js';
import sumBios from '../../modules/sum_bios/index.js';
import template from '../../modules/template/index.js';
import { schemasDir } from '../paths.js';
import type { ModuleDefinition } from './contract.js';

// Params and state differ per module; the engine only hands each module its own validated params.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = ModuleDefinition<any, any>;

/** The built-in modules. A test asserts this matches the folders under modules/ and schemas/modules/. */
export const builtinModules: ReadonlyMap<string, AnyModule> = new Map<string, AnyModule>(
  [assertModule, command, copy, debug, fail, file, includeVars, iptablesRule, ipvsService, lineinfile, lxcContainer, serfAgent, serfEvent, setFact, shell, sumBios, template].map((module) => [module.name, module]),
);

const ANSIBLE_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** Accepts Ansible's fully qualified names for the core modules, so playbooks move over unchanged. */
export function canonicalModuleName(key: string): string {
  for (const prefix of ANSIBLE_PREFIXES) if (key.startsWith(prefix)) return key.slice(prefix.length);
  return key;
}

/** A module loaded from the user's folders or packages (src/module/user-modules.ts). */
export interface RegisteredUserModule {
  readonly definition: AnyModule;
  readonly schema: Record<string, unknown>;
  /** Where it was found, for `rackplay doc` and messages: its folder and how it was found. */
  readonly source: string;
}

// The user modules of the current load. A run loads once, so this is the run's table; the next load replaces it.
let userModules: ReadonlyMap<string, RegisteredUserModule> = new Map();

/** Installs the user modules of a load (empty to clear). Built-ins stay; a user module of the same name wins (override). */
export function setUserModules(modules: ReadonlyMap<string, RegisteredUserModule>): void {
  userModules = modules;
}

export function userModule(name: string): RegisteredUserModule | undefined {
  return userModules.get(name);
}

/** Every module name a task may use now: built-ins and the loaded user modules. */
export function moduleNames(): string[] {
  return [...new Set([...builtinModules.keys(), ...userModules.keys()])];
}

export function findModule(key: string): AnyModule | undefined {
  const user = userModules.get(key);
  if (user !== undefined) return user.definition;
  const name = canonicalModuleName(key);
  // ansible.builtin.NAME means the built-in, or the user module that declared it replaces that built-in.
  return builtinModules.has(name) ? (userModules.get(name)?.definition ?? builtinModules.get(name)) : undefined;
}

const schemaCache = new Map<string, Record<string, unknown>>();

/** The module's parameter schema: the single source for validation, docs and editor completion. */
export function moduleSchema(name: string): Record<string, unknown> {
  const user = userModules.get(name);
  if (user !== undefined) return user.schema;
  let schema = schemaCache.get(name);
  if (schema === undefined) {
    schema = JSON.parse(readFileSync(join(schemasDir, 'modules', `${name}.json`), 'utf8')) as Record<string, unknown>;
    schemaCache.set(name, schema);
  }
  return schema;
}
