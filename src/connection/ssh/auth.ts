import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import type { SshTarget } from './target.js';

export interface AuthPlan {
  readonly handler: AuthHandlerMiddleware;
  /** What will be / was tried, for the message of an authentication failure. */
  readonly tried: readonly string[];
  /** Keys that could not be used (unreadable, wrong or missing passphrase). */
  readonly problems: readonly string[];
}

/**
 * Auth methods in OpenSSH's order: each private key, the agent, then the password (also answered to
 * keyboard-interactive prompts, which PAM-backed sshd use instead of "password"). Keys are parsed up front
 * so a wrong passphrase is reported by name instead of silently skipped.
 */
export function planAuth(target: SshTarget, username: string): AuthPlan {
  const methods: Array<{ method: AnyAuthMethod; label: string }> = [];
  const problems: string[] = [];
  for (const path of target.privateKeyPaths ?? []) {
    const key = loadKey(path, target.passphrase, problems);
    if (key !== undefined) methods.push({ method: { type: 'publickey', username, key }, label: `publickey ${basename(path)}` });
  }
  if (target.agent !== undefined) methods.push({ method: { type: 'agent', username, agent: target.agent }, label: 'agent' });
  const password = target.password;
  if (password !== undefined) {
    methods.push({ method: { type: 'password', username, password }, label: 'password' });
    methods.push({
      method: {
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
      },
      label: 'keyboard-interactive',
    });
  }
  const tried: string[] = [];
  let next = 0;
  const handler: AuthHandlerMiddleware = (methodsLeft: AuthenticationType[] | null, _partial, callback) => {
    // Skip what the server no longer offers: trying it would only cost a round trip and a log line.
    while (next < methods.length) {
      const candidate = methods[next++]!;
      if (methodsLeft === null || methodsLeft.includes(candidate.method.type)) {
        tried.push(candidate.label);
        callback(candidate.method);
        return;
      }
    }
    // ssh2 takes `false` as "nothing left to try"; its typings omit that value.
    (callback as (method: AnyAuthMethod | false) => void)(false);
  };
  return { handler, tried, problems };
}

/** One parse per key file and passphrase for the whole run: hundreds of hosts usually share one key. */
const parsedKeys = new Map<string, { key?: ParsedKey; problem?: string }>();

function loadKey(path: string, passphrase: string | undefined, problems: string[]): ParsedKey | undefined {
  const cacheKey = `${path}\0${passphrase ?? ''}`;
  let entry = parsedKeys.get(cacheKey);
  if (entry === undefined) {
    const found: string[] = [];
    const key = parseKeyFile(path, passphrase, found);
    entry = key === undefined ? { problem: found[0] } : { key };
    parsedKeys.set(cacheKey, entry);
  }
  if (entry.problem !== undefined) problems.push(entry.problem);
  return entry.key;
}

function parseKeyFile(path: string, passphrase: string | undefined, problems: string[]): ParsedKey | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    problems.push(`cannot read private key ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
  const parsed = ssh2.utils.parseKey(data, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const reason = key instanceof Error ? key.message : 'no key found';
    problems.push(`cannot use private key ${path}: ${reason}`);
    return undefined;
  }
  return key;
}
