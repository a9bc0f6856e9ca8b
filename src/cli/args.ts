import { parseArgs } from 'node:util';
import { modulePathFrom } from '../module/user-modules.js';
import type { VaultPasswordOptions } from '../vault/password-sources.js';

export class UsageError extends Error {
  readonly code = 'E_BAD_OPTION';
}

export interface RunArgs {
  readonly playbooks: string[];
  readonly inventory: string[];
  readonly extraVars: string[];
  readonly check: boolean;
  readonly diff: boolean;
  readonly limit?: string;
  readonly tags: string[];
  readonly skipTags: string[];
  readonly forks: number;
  readonly output?: 'tty' | 'plain' | 'json';
  readonly listHosts: boolean;
  readonly listTasks: boolean;
  readonly syntaxCheck: boolean;
  readonly verifyIdempotent: boolean;
  readonly verbose: number;
  readonly help: boolean;
  /** --vault-id, --vault-password-file, --ask-vault-pass and RACKPLAY_VAULT_PASSWORD_FILE. */
  readonly vault: VaultPasswordOptions;
  /** --roles-path entries, then RACKPLAY_ROLES_PATH's; each may hold several folders separated by ':'. */
  readonly rolesPath: string[];
  /** --fact-cache DIR and --fact-cache-ttl SECONDS (default one day). */
  readonly factCache?: { readonly dir: string; readonly ttlSeconds: number };
  /** --module-path entries, then RACKPLAY_MODULE_PATH's; each may hold several folders separated by ':'. */
  readonly modulePath: string[];
}

const RUN_OPTIONS = {
  inventory: { type: 'string', short: 'i', multiple: true },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  limit: { type: 'string', short: 'l' },
  tags: { type: 'string', short: 't', multiple: true },
  'skip-tags': { type: 'string', multiple: true },
  forks: { type: 'string', short: 'f' },
  output: { type: 'string' },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  'syntax-check': { type: 'boolean' },
  'verify-idempotent': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  'roles-path': { type: 'string', multiple: true },
  'fact-cache': { type: 'string' },
  'fact-cache-ttl': { type: 'string' },
  'module-path': { type: 'string', multiple: true },
  'vault-id': { type: 'string', multiple: true },
  'vault-password-file': { type: 'string', multiple: true },
  'ask-vault-pass': { type: 'boolean', short: 'J' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseRunArgs(argv: readonly string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const forks = values.forks === undefined ? 10 : Number(values.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a positive integer, got '${values.forks}'`);
  const output = values.output;
  if (output !== undefined && output !== 'tty' && output !== 'plain' && output !== 'json') {
    throw new UsageError(`--output must be tty, plain or json, got '${output}'`);
  }
  if (positionals.length === 0 && values.help !== true) throw new UsageError('no playbook given');
  const factCacheTtl = values['fact-cache-ttl'] === undefined ? 86400 : Number(values['fact-cache-ttl']);
  if (!Number.isFinite(factCacheTtl) || factCacheTtl < 0) throw new UsageError(`--fact-cache-ttl must be a number of seconds, got '${values['fact-cache-ttl']}'`);
  if (values['fact-cache-ttl'] !== undefined && values['fact-cache'] === undefined) throw new UsageError('--fact-cache-ttl needs --fact-cache DIR');
  return {
    playbooks: positionals,
    inventory: values.inventory ?? [],
    extraVars: values['extra-vars'] ?? [],
    check: values.check ?? false,
    diff: values.diff ?? false,
    limit: values.limit,
    tags: splitCommas(values.tags),
    skipTags: splitCommas(values['skip-tags']),
    forks,
    output,
    listHosts: values['list-hosts'] ?? false,
    listTasks: values['list-tasks'] ?? false,
    syntaxCheck: values['syntax-check'] ?? false,
    verifyIdempotent: values['verify-idempotent'] ?? false,
    verbose: values.verbose?.length ?? 0,
    help: values.help ?? false,
    vault: { vaultIds: values['vault-id'] ?? [], passwordFiles: values['vault-password-file'] ?? [], askVaultPass: values['ask-vault-pass'] ?? false, envPasswordFile: process.env.RACKPLAY_VAULT_PASSWORD_FILE },
    factCache: values['fact-cache'] === undefined ? undefined : { dir: values['fact-cache'], ttlSeconds: factCacheTtl },
    rolesPath: [...(values['roles-path'] ?? []), process.env.RACKPLAY_ROLES_PATH ?? ''].flatMap((entry) => entry.split(':')).filter((dir) => dir !== ''),
    modulePath: modulePathFrom(values['module-path'] ?? []),
  };
}

function splitCommas(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
}

export const RUN_HELP = `Usage: rackplay run PLAYBOOK... [options]

Runs playbooks. Everything is validated first; no host is contacted when a problem is found (exit 4).

Options:
  -i, --inventory PATH     inventory file or folder (INI or YAML), repeatable; default: implicit localhost
  -e, --extra-vars VARS    k=v, @file.yml, or a YAML/JSON mapping; repeatable; highest precedence
  -C, --check              gather and plan only: change nothing, report what would change
  -D, --diff               show a unified diff for every change (also with --check)
  -l, --limit PATTERN      further limit the hosts (all, groups, globs, a:b, a:&b, a:!b)
  -t, --tags TAGS          run only tasks with these tags (comma separated, repeatable)
      --skip-tags TAGS     skip tasks with these tags
  -f, --forks N            hosts worked on in parallel (default 10)
      --output MODE        tty (live view), plain (CI lines) or json (JSON Lines); default: tty on a terminal
      --list-hosts         print the hosts each play targets, then exit
      --list-tasks         print the tasks each play runs, then exit
      --syntax-check       validate only, then exit
      --verify-idempotent  run twice; fail (exit 2) naming each task that changed on the second pass
      --roles-path DIRS    more folders to find roles in, after roles/ beside the playbook (':' separated,
                           repeatable; RACKPLAY_ROLES_PATH is searched after them)
      --module-path DIR    a folder of user modules, after modules/ beside the playbook (':' separated,
                           repeatable; RACKPLAY_MODULE_PATH is searched after them)
      --fact-cache DIR     keep gathered facts as JSON per host in DIR; a fresh entry saves gathering
      --fact-cache-ttl SECONDS  how long a cached host's facts stay fresh (default 86400)
  -v, --verbose            more output: results and per-task timings
      --vault-id [LABEL@]SOURCE   a vault password: a file, an executable printing it, or 'prompt'; repeatable
      --vault-password-file FILE  a vault password file or executable (default: RACKPLAY_VAULT_PASSWORD_FILE)
  -J, --ask-vault-pass     ask for the vault password on the terminal
  -h, --help               this help

Exit codes: 0 ok, 1 error, 2 a host failed, 3 a host unreachable, 4 invalid playbook or inventory,
5 bad options, 99 interrupted, 250 unexpected.`;

export const VALIDATE_HELP = `Usage: rackplay validate PLAYBOOK... [-i INVENTORY]... [-e VARS]... [--roles-path DIRS] [--module-path DIR]...

Validates playbooks, everything they import, and the inventory. Prints every problem as
file:line:col CODE message and exits 4 when there is any; 0 otherwise. Never contacts a host.
Vaulted files and !vault values need a password: --vault-id, --vault-password-file or --ask-vault-pass.`;

export const DOC_HELP = `Usage: rackplay doc [MODULE]... [--playbook-dir DIR] [--module-path DIR]...

Without MODULE, lists the modules. With MODULE, prints its parameters, defaults, choices and
examples, read from its schema (schemas/modules/MODULE.json, or a user module's schema.json).

Options:
      --playbook-dir DIR   also list the user modules a playbook in DIR sees: DIR/modules/ and the
                           packages of DIR/rackplay.config.yml
      --module-path DIR    also list the user modules in DIR (repeatable, ':' separated; then
                           RACKPLAY_MODULE_PATH)
  -h, --help               this help`;

export const MAIN_HELP = `Usage: rackplay COMMAND [options]

Commands:
  run PLAYBOOK...        run playbooks (rackplay run --help)
  validate PLAYBOOK...   validate playbooks and inventory without running anything
  doc [MODULE]           list modules, or document one
  vault ACTION ...       encrypt, decrypt, view, create, edit, rekey, encrypt_string (rackplay vault --help)
  inventory -i SOURCE    show the inventory as ansible-inventory does: --list, --host NAME, --graph

rackplay is an agentless, Ansible-style playbook engine: YAML playbooks validated against JSON
Schemas before anything runs, Handlebars templates, idempotent modules over SSH.`;

export const INVENTORY_HELP = `Usage: rackplay inventory [-i SOURCE]... (--list | --host NAME | --graph [GROUP] [--vars])

Shows the inventory in ansible-inventory's shapes: what rackplay makes of the sources, with every
host's merged inventory variables (group_vars/ and host_vars/ included). Vault values are masked.

Options:
  -i, --inventory PATH       inventory file or folder, repeatable; default: the implicit localhost
      --list                 JSON: every group's hosts and children, and _meta.hostvars
      --host NAME            JSON: one host's merged variables
      --graph [GROUP]        the group tree below GROUP (default all); --vars adds the variables
      --vault-id ID, --vault-password-file FILE, -J/--ask-vault-pass
                             vault passwords, as for run
  -h, --help                 this help`;
