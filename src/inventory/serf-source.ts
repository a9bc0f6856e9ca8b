import type { ErrorObject } from 'ajv';
import { openSshForHost } from '../connection/open-ssh.js';
import { LocalConnection } from '../connection/local.js';
import type { Connection } from '../connection/types.js';
import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { isMapping } from '../load/values.js';
import { locate, parseYamlSource } from '../load/yaml-source.js';
import type { YamlSource } from '../load/yaml-source.js';
import { inventoryValidator } from '../validate/ajv.js';
import { didYouMean } from '../validate/suggest.js';
import { serfCall } from '../../modules/serf_agent/commands.js';
import { parseMembers } from '../../modules/serf_agent/parse.js';
import { connectionKind } from '../run/connections.js';
import type { InventoryBuilder } from './builder.js';
import { UNGROUPED } from './model.js';
import { serfHosts } from './serf-members.js';

/** A YAML inventory file whose top level says `plugin: serf`: cheap to recognize without parsing. */
export function isSerfSource(text: string): boolean {
  return /^plugin:\s*["']?serf["']?\s*(#.*)?$/m.test(text);
}

interface SerfSourceOptions {
  readonly plugin: 'serf';
  readonly rpc_addr?: string;
  readonly rpc_auth?: string;
  readonly via?: string;
  readonly via_vars?: Record<string, unknown>;
  readonly executable?: string;
  readonly statuses?: string[];
  readonly group_by_tags?: string[];
  readonly group_name?: string;
  readonly group?: string;
  readonly vars?: Record<string, unknown>;
}

/**
 * Reads a Serf inventory: asks one agent for its members (`serf members -format=json`, on the controller or over SSH
 * on `via`) and adds them to the builder as hosts, grouped by their tags. Problems are positioned E_INVENTORY.
 */
export async function readSerfInventory(file: string, text: string, builder: InventoryBuilder): Promise<void> {
  const { source, problems } = parseYamlSource(file, text);
  builder.problems.push(...problems);
  if (problems.length > 0) return;
  const schemaProblems = serfSchemaProblems(source);
  builder.problems.push(...schemaProblems);
  if (schemaProblems.length > 0 || !isMapping(source.data)) return;
  const options = source.data as unknown as SerfSourceOptions;
  let output: string;
  try {
    output = await membersJson(options, builder);
  } catch (error) {
    const at = options.via === undefined ? ['rpc_addr'] : ['via'];
    builder.problems.push(new RackplayError('E_INVENTORY', `serf inventory: ${(error as Error).message}`, position(source, options, at)));
    return;
  }
  let members;
  try {
    members = parseMembers(output);
  } catch (error) {
    builder.problems.push(new RackplayError('E_INVENTORY', `serf inventory: ${(error as Error).message}`, locate(source, [])));
    return;
  }
  const hosts = serfHosts(members, {
    statuses: options.statuses ?? ['alive'],
    groupByTags: options.group_by_tags ?? ['role'],
    groupName: options.group_name ?? '{{value}}',
    group: options.group,
    vars: options.vars ?? {},
  });
  for (const host of hosts) {
    if (host.groups.length === 0) builder.addHostToGroup(UNGROUPED, host.name, host.vars);
    for (const group of host.groups) builder.addHostToGroup(group, host.name, host.vars);
  }
}

function position(source: YamlSource, options: SerfSourceOptions, path: string[]): SourcePosition {
  return path[0] !== undefined && path[0] in options ? locate(source, path) : locate(source, ['plugin']);
}

/** serf members, run where `via` says: the controller, or that host over SSH (its inventory vars, then via_vars). */
async function membersJson(options: SerfSourceOptions, builder: InventoryBuilder): Promise<string> {
  const call = serfCall({ executable: options.executable ?? 'serf', rpcAddr: options.rpc_addr ?? '127.0.0.1:7373', ...(options.rpc_auth === undefined ? {} : { rpcAuth: options.rpc_auth }) }, 'members', ['-format=json']);
  const connection = await connect(options, builder);
  try {
    const result = await connection.run(call.argv, { stdin: call.stdin, timeoutMs: 30_000 });
    const where = options.via === undefined ? '' : ` on ${options.via}`;
    if (result.exitCode === 127) throw new Error(`serf is not installed${where} (Debian: apt-get install serf)`);
    // serf prints its connection errors on stdout.
    const message = (result.stderr.trim() || result.stdout.trim()).split('\n')[0];
    if (result.exitCode !== 0) throw new Error(`serf members -rpc-addr=${options.rpc_addr ?? '127.0.0.1:7373'}${where} failed (exit ${result.exitCode}): ${message}`);
    return result.stdout;
  } finally {
    await connection.close();
  }
}

async function connect(options: SerfSourceOptions, builder: InventoryBuilder): Promise<Connection> {
  if (options.via === undefined) return new LocalConnection();
  // The via host's variables from the inventories read before this one: all's, its groups', its own, then via_vars.
  const groups = [...builder.groups.values()].filter((group) => group.name === 'all' || group.hosts.has(options.via!));
  const vars = { inventory_hostname: options.via, ...Object.assign({}, ...groups.map((group) => group.vars)), ...builder.hosts.get(options.via)?.vars, ...options.via_vars } as Record<string, unknown>;
  if (connectionKind(vars) === 'local') return new LocalConnection();
  try {
    return await openSshForHost(options.via, vars);
  } catch (error) {
    throw new Error(`cannot reach ${options.via} over SSH: ${(error as Error).message}`, { cause: error });
  }
}

function serfSchemaProblems(source: YamlSource): RackplayError[] {
  const validate = inventoryValidator('serf');
  const keys = Object.keys((validate.schema as { properties?: object }).properties ?? {});
  if (validate(source.data ?? null)) return [];
  return (validate.errors ?? []).filter((error) => error.keyword !== 'propertyNames').map((error) => toProblem(source, error, keys));
}

function toProblem(source: YamlSource, error: ErrorObject, known: readonly string[]): RackplayError {
  const path = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties' && path.length === 0) {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return new RackplayError('E_INVENTORY', `unknown key '${key}' in the serf inventory${didYouMean(key, known)}`, locate(source, [key], { key: true }));
  }
  const where = path.length === 0 ? 'the serf inventory' : `'${path.join('.')}' of the serf inventory`;
  const detail = error.keyword === 'enum' ? `must be one of: ${((error.params as { allowedValues: unknown[] }).allowedValues).join(', ')}` : (error.message ?? 'is invalid');
  return new RackplayError('E_INVENTORY', `${where} ${detail}`, locate(source, path));
}
