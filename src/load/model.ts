import type { YamlPath, YamlSource } from './yaml-source.js';

/** A task's or play's `environment:`: a mapping, or a template that renders to one (`"{{proxy_env}}"`). */
export type EnvironmentSpec = Readonly<Record<string, unknown>> | string;

/** Where a playbook element was written: its file's AST plus the path to it. */
export interface SourceRef {
  readonly source: YamlSource;
  readonly path: YamlPath;
}

export interface TaskKeywords {
  readonly name?: string;
  readonly when?: unknown;
  readonly loop?: unknown;
  readonly loop_control?: { readonly label?: string; readonly loop_var?: string };
  readonly register?: string;
  readonly changed_when?: unknown;
  readonly failed_when?: unknown;
  readonly ignore_errors?: boolean;
  readonly tags?: string | readonly string[];
  readonly notify?: string | readonly string[];
  readonly listen?: string | readonly string[];
  readonly become?: boolean;
  readonly become_user?: string;
  readonly check_mode?: boolean;
  readonly run_once?: boolean;
  readonly delegate_to?: string;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly environment?: EnvironmentSpec;
  readonly timeout?: number;
  readonly no_log?: boolean;
}

export interface TaskNode {
  readonly kind: 'task';
  readonly id: string;
  readonly name: string;
  readonly module: string;
  /** The key the module was written under ('copy', 'ansible.builtin.copy'): where its params sit in the YAML. */
  readonly moduleKey: string;
  /** As written (templates unrendered); free-form strings already turned into objects. */
  readonly params: unknown;
  readonly keywords: TaskKeywords;
  readonly ref: SourceRef;
  /** Folder relative `src`/`template` paths resolve against. */
  readonly baseDir: string;
  /** include_vars content, read at load. */
  readonly preloadedVars?: Readonly<Record<string, unknown>>;
  /** The role this task belongs to; its variables are visible to the task. */
  readonly role?: RoleScope;
  /** Role folders whose `files/` and `templates/` are searched, in order, before `baseDir` (copy, template). */
  readonly searchDirs?: readonly string[];
}

/**
 * One use of a role (a `roles:` entry, import_role, include_role or a dependency): its folder and the
 * variables it brings. They are visible to the role's own tasks and handlers and to the roles it pulls in,
 * not to the rest of the play.
 */
export interface RoleScope {
  readonly name: string;
  readonly root: string;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  /** The `vars` given to include_role/import_role: role parameters, above vars/main.yml. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The `vars:` of a `roles:` entry or a meta dependency: below vars/main.yml, as Ansible ranks them. */
  readonly entryVars: Readonly<Record<string, unknown>>;
  /** The role whose tasks or meta pulled this one in. */
  readonly parent?: RoleScope;
  /** Where defaults, vars and params were written, so their templates are checked at load with positions. */
  readonly origin: { readonly defaults?: YamlSource; readonly vars?: YamlSource; readonly params?: SourceRef };
}

export interface BlockNode {
  readonly kind: 'block';
  readonly id: string;
  readonly name: string;
  readonly block: readonly PlayNode[];
  readonly rescue: readonly PlayNode[];
  readonly always: readonly PlayNode[];
  readonly keywords: TaskKeywords;
  readonly ref: SourceRef;
  /**
   * Set on an include_role: the role's tasks were loaded and validated at load, but whether and how often
   * they run is decided per host at run time; `when` and `loop` in `keywords` apply to the include itself.
   */
  readonly includeRole?: string;
  /**
   * The role whose variables this block's keywords see: for roles:/import_role the role itself (its keywords
   * are checked by each of its tasks), for include_role and plain blocks the role they are written in.
   */
  readonly role?: RoleScope;
}

export type PlayNode = TaskNode | BlockNode;

export interface Play {
  readonly name: string;
  readonly hosts: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly varsFiles: Readonly<Record<string, unknown>>;
  readonly tasks: readonly PlayNode[];
  readonly handlers: readonly TaskNode[];
  readonly become?: boolean;
  readonly become_user?: string;
  readonly serial?: number | string | readonly (number | string)[];
  readonly strategy: 'linear' | 'free';
  readonly max_fail_percentage?: number;
  readonly any_errors_fatal: boolean;
  readonly forks?: number;
  readonly tags: readonly string[];
  readonly environment?: EnvironmentSpec;
  readonly check_mode?: boolean;
  readonly no_log?: boolean;
  readonly remote_user?: string;
  /** Gather facts at the start of the play; true unless the play says false, as in Ansible. */
  readonly gather_facts: boolean;
  readonly ref: SourceRef;
  readonly baseDir: string;
}

export interface Playbook {
  readonly file: string;
  readonly baseDir: string;
  readonly plays: readonly Play[];
}
