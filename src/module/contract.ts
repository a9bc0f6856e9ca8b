import type { BecomeOptions, Connection, RunResult } from '../connection/types.js';

/** One step a module wants to take. Commands are argv arrays; quoting happens in the connection. */
export type Change =
  | {
      readonly kind: 'command';
      readonly argv: readonly string[];
      readonly description: string;
      readonly stdin?: string;
      readonly cwd?: string;
    }
  | {
      readonly kind: 'script';
      /** A fixed sh script; values must reach it through `args` ("$1"…), never by concatenation. */
      readonly script: string;
      readonly args?: readonly string[];
      readonly description: string;
      readonly stdin?: string;
    }
  | {
      readonly kind: 'put';
      readonly path: string;
      readonly content: string | Buffer;
      readonly mode?: string;
      readonly owner?: string;
      readonly group?: string;
      /** Compare-and-swap for read-modify-write edits: see PutOptions.expectedSha256. */
      readonly expectedSha256?: string | null;
      readonly description: string;
    };

export interface FileDiff {
  readonly path?: string;
  readonly before: string;
  readonly after: string;
}

/** The pure output of `plan`: what to change, how it looks, and what to report. */
export interface Plan {
  readonly changes: readonly Change[];
  readonly diff?: FileDiff | readonly FileDiff[];
  /** Values returned in the task result (registered), whether or not anything changes. */
  readonly result?: Readonly<Record<string, unknown>>;
  /** A plan may decide the task fails, e.g. `assert` or `fail`. */
  readonly failed?: string;
  /** Why nothing changes, reported as the result's `msg` on a no-op (pyinfra's "hostname is set"). */
  readonly noopReason?: string;
  /** Variables to set for the host: set_fact. */
  readonly facts?: Readonly<Record<string, unknown>>;
  /** Variables include_vars reads for the host; they rank below set_fact's whatever the order of the tasks. */
  readonly includedVars?: Readonly<Record<string, unknown>>;
  /** Force `changed` even with no changes (debug never, command always unless skipped). */
  readonly changed?: boolean;
}

export interface ModuleResult {
  readonly changed: boolean;
  readonly failed?: boolean;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export interface HostContext {
  readonly name: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface ModuleContext {
  readonly connection: Connection;
  readonly host: HostContext;
  readonly become?: BecomeOptions;
  readonly timeoutMs?: number;
  readonly check: boolean;
  readonly diff: boolean;
  /** Folder of the playbook or file the task came from; relative `src` paths resolve against it. */
  readonly baseDir: string;
  /** For a role's task: the role's folder (and those of the roles that pulled it in); their `files/` or `templates/` are searched first. */
  readonly searchDirs?: readonly string[];
  /** Renders a template string with the task's variables (template module). */
  readonly renderTemplate: (source: string, origin: string) => string;
  /** include_vars content read at load. */
  readonly preloadedVars?: Readonly<Record<string, unknown>>;
  /** Runs an argv through the connection with the task's become and timeout. */
  readonly run: (argv: readonly string[], options?: { stdin?: string; cwd?: string }) => Promise<RunResult>;
  /**
   * Proves the host can still be reached from scratch: opens a NEW connection to it (not the run's open one),
   * runs `true` and closes it, within timeoutMs. Throws UnreachableError when it cannot. Resolves at once for
   * the local connection. Used by changes that could cut the controller off (iptables_rule confirm_timeout).
   */
  readonly probeReachable?: (timeoutMs: number) => Promise<void>;
}

export interface ModuleMeta {
  /** full: gather+plan tell exactly what would change; partial: cannot know (command without creates). */
  readonly checkMode: 'full' | 'partial';
  readonly diff: boolean;
  readonly idempotent: boolean;
  readonly platforms: readonly string[];
  /** Runs only on the controller and never touches the connection. */
  readonly controllerOnly?: boolean;
  /**
   * Its gather only reads the host (files, rules, containers) and depends on nothing but its params and the
   * host's variables, so the engine may run it ahead, pipelined with the gathers of the tasks before it, and
   * use it while no task has acted on any host since (src/run/gather-ahead.ts).
   */
  readonly gatherReadsOnly?: boolean;
  readonly returns: Readonly<Record<string, string>>;
}

/** A problem a module's own `validate` finds in its params. */
export interface ParamProblem {
  /** JSON pointer into the params of the offending value, e.g. `/real_servers/1/port`; '' for the params as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface ModuleDefinition<Params = Record<string, unknown>, State = unknown> {
  readonly name: string;
  readonly meta: ModuleMeta;
  /** A user module that replaces the built-in module of the same name says so; without it, the name clash is an error. */
  readonly override?: boolean;
  /** Params that are not a mapping (free-form `command: ls -l`) become this object. */
  readonly freeForm?: (text: string) => Params;
  /**
   * Rules the schema cannot state, such as one value compared with another. Called only with params that passed
   * the schema: at load for params without templates, and again after templating. Reported as E_INVALID_PARAM
   * at the position of the offending value, before any host is contacted.
   */
  validate?(params: Params): readonly ParamProblem[];
  gather(ctx: ModuleContext, params: Params): Promise<State>;
  plan(params: Params, state: State): Plan;
  /** Defaults to applying each change in order; override to collect results such as stdout. */
  apply?(ctx: ModuleContext, plan: Plan, params: Params): Promise<ModuleResult>;
}

export function defineModule<Params, State>(definition: ModuleDefinition<Params, State>): ModuleDefinition<Params, State> {
  return definition;
}
