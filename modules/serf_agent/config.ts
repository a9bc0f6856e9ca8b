import { addressHost } from './parse.js';
import type { SerfMember } from './parse.js';

export type SerfConfig = Readonly<Record<string, unknown>>;

/** The config file as written: the keys in the playbook's order, two-space JSON, a final newline. */
export function configText(config: SerfConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Parses the config file on the host; undefined when it is not JSON (it is then rewritten and the agent restarted). */
export function parseConfig(text: string | undefined): SerfConfig | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as SerfConfig) : undefined;
  } catch {
    return undefined;
  }
}

const SECRET_KEYS = ['encrypt_key', 'rpc_auth'];

/** The config text shown in --diff: keys and tokens replaced, with a short fingerprint so a change still shows. */
export function maskedConfigText(text: string): string {
  const config = parseConfig(text);
  if (config === undefined) return text;
  const masked = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, SECRET_KEYS.includes(key) && typeof value === 'string' ? `******** (${fingerprint(value)})` : value]));
  return configText(masked);
}

/** Not reversible and too short to matter: only says whether two secrets are the same. */
function fingerprint(value: string): string {
  let hash = 2166136261;
  for (const char of value) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return (hash & 0xffff).toString(16).padStart(4, '0');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when the two configs are the same apart from `tags` (and key order): a live `serf tags` suffices. */
export function onlyTagsDiffer(before: SerfConfig, after: SerfConfig): boolean {
  const { tags: _before, ...restBefore } = before;
  const { tags: _after, ...restAfter } = after;
  return canonical(restBefore) === canonical(restAfter);
}

/** `serf tags` arguments that turn `current` into `desired`: -set k=v for new or changed, -delete k for gone. */
export function tagArguments(current: Readonly<Record<string, string>>, desired: Readonly<Record<string, string>>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(desired)) if (current[key] !== value) args.push('-set', `${key}=${value}`);
  for (const key of Object.keys(current)) if (!(key in desired)) args.push('-delete', key);
  return args;
}

export const DEFAULT_SERF_PORT = 7946;

/** host:port → [host, port]; a bare host gets Serf's gossip port. */
function splitAddress(address: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed !== null) return { host: bracketed[1]!, port: Number(bracketed[2] ?? DEFAULT_SERF_PORT) };
  const index = address.lastIndexOf(':');
  return index === -1 ? { host: address, port: DEFAULT_SERF_PORT } : { host: address.slice(0, index), port: Number(address.slice(index + 1)) };
}

function matches(address: string, member: SerfMember): boolean {
  const { host, port } = splitAddress(address);
  return (addressHost(member.addr) === host && member.port === port) || member.name === host;
}

/**
 * The join addresses that are not this agent itself, when none of them is an alive member yet; [] when the agent
 * already is in a cluster holding one of them (or the list names only itself).
 */
export function addressesToJoin(join: readonly string[], members: readonly SerfMember[], self: string | undefined): string[] {
  const me = members.find((member) => member.name === self);
  const others = join.filter((address) => me === undefined || !matches(address, me));
  if (others.length === 0) return [];
  const alive = members.filter((member) => member.status === 'alive' && member.name !== self);
  return others.some((address) => alive.some((member) => matches(address, member))) ? [] : others;
}

/** Alive members having every one of `tags`. */
export function aliveWithTags(members: readonly SerfMember[], tags: Readonly<Record<string, string>> = {}): SerfMember[] {
  return members.filter((member) => member.status === 'alive' && Object.entries(tags).every(([key, value]) => member.tags[key] === value));
}
