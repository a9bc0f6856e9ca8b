import { existsSync, readFileSync } from 'node:fs';
import { globMatches } from './known-hosts.js';

/** The ~/.ssh/config keywords rackplay honours, resolved for one host. */
export interface SshConfigOptions {
  readonly hostName?: string;
  readonly port?: number;
  readonly user?: string;
  /** Raw values, in file order; `~` and `%` tokens are expanded by the caller who knows the user and host. */
  readonly identityFiles: readonly string[];
  readonly proxyJump?: string;
  readonly strictHostKeyChecking?: string;
  readonly userKnownHostsFile?: string;
  readonly identityAgent?: string;
  readonly connectTimeoutSeconds?: number;
  readonly serverAliveIntervalSeconds?: number;
}

interface Block {
  /** undefined for the lines before the first Host, which apply to every host. */
  readonly patterns: readonly string[] | undefined;
  readonly matchAll: boolean;
  readonly options: Array<readonly [string, string]>;
}

export function parseSshConfig(text: string): Block[] {
  const blocks: Block[] = [{ patterns: undefined, matchAll: true, options: [] }];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const found = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (found === null) continue;
    const keyword = found[1]!.toLowerCase();
    const args = splitArgs(found[2]!);
    if (keyword === 'host') blocks.push({ patterns: args, matchAll: false, options: [] });
    // Match criteria (exec, user, …) are not evaluated: only `Match all` applies, the rest never match.
    else if (keyword === 'match') blocks.push({ patterns: [], matchAll: args[0]?.toLowerCase() === 'all', options: [] });
    else blocks.at(-1)!.options.push([keyword, args.join(' ')]);
  }
  return blocks;
}

/** OpenSSH semantics: blocks apply in file order and the first value of each keyword wins. */
export function resolveSshConfig(blocks: readonly Block[], host: string): SshConfigOptions {
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  for (const block of blocks) {
    if (!blockApplies(block, host)) continue;
    for (const [keyword, value] of block.options) {
      if (keyword === 'identityfile') identityFiles.push(value);
      else if (!first.has(keyword)) first.set(keyword, value);
    }
  }
  const number = (key: string): number | undefined => {
    const value = first.get(key);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  return dropUndefined({
    hostName: first.get('hostname'),
    port: number('port'),
    user: first.get('user'),
    identityFiles,
    proxyJump: noneToUndefined(first.get('proxyjump')),
    strictHostKeyChecking: first.get('stricthostkeychecking')?.toLowerCase(),
    userKnownHostsFile: first.get('userknownhostsfile')?.split(' ')[0],
    identityAgent: noneToUndefined(first.get('identityagent')),
    connectTimeoutSeconds: number('connecttimeout'),
    serverAliveIntervalSeconds: number('serveraliveinterval'),
  });
}

export function readSshConfig(path: string, host: string): SshConfigOptions {
  if (!existsSync(path)) return { identityFiles: [] };
  return resolveSshConfig(parseSshConfig(readFileSync(path, 'utf8')), host);
}

function blockApplies(block: Block, host: string): boolean {
  if (block.patterns === undefined || block.matchAll) return true;
  let matched = false;
  for (const pattern of block.patterns) {
    if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), host)) return false;
    } else if (globMatches(pattern, host)) {
      matched = true;
    }
  }
  return matched;
}

/** Whitespace-separated words; double quotes group words that contain spaces. */
function splitArgs(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) words.push(match[1] ?? match[2]!);
  return words;
}

function noneToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.toLowerCase() === 'none' ? undefined : value;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
