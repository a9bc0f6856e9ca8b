import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HostKeyChecking } from './host-key-check.js';
import { readSshConfig, type SshConfigOptions } from './ssh-config.js';
import type { SshTarget } from './target.js';

type Vars = Readonly<Record<string, unknown>>;

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * Builds the SSH target of an inventory host. Precedence, per setting: rackplay_* vars, then ansible_* vars,
 * then the ssh config entry that matches the destination (as `ssh` would apply it), then defaults.
 */
export function sshTargetFromVars(hostName: string, vars: Vars, sshConfigPath?: string): SshTarget {
  const configPath = sshConfigPath ?? join(homedir(), '.ssh', 'config');
  const destination = pick(vars, 'host', 'ssh_host') ?? hostName;
  const config = readSshConfig(configPath, destination);
  const host = config.hostName !== undefined ? config.hostName.replaceAll('%h', destination) : destination;
  const port = toNumber(pick(vars, 'port', 'ssh_port')) ?? config.port ?? 22;
  const user = pick(vars, 'user', 'ssh_user') ?? config.user ?? userInfo().username;
  const expand = (path: string): string => expandPath(path, { host, port, user });

  const explicitKeys = pickList(vars, 'ssh_private_key_file', 'private_key_file');
  const privateKeyPaths =
    explicitKeys !== undefined ? explicitKeys.map(expand) : identityFiles(config, expand);
  const hostKeyChecking =
    parseHostKeyChecking(pickRaw(vars, 'host_key_checking', 'ssh_host_key_checking')) ??
    parseHostKeyChecking(config.strictHostKeyChecking) ??
    'strict';
  const knownHostsFile = expand(
    pick(vars, 'known_hosts_file') ?? config.userKnownHostsFile ?? '~/.ssh/known_hosts',
  );
  const agent = agentSocket(pick(vars, 'ssh_agent') ?? config.identityAgent, expand);
  const timeoutSeconds = toNumber(pick(vars, 'ssh_timeout', 'timeout')) ?? config.connectTimeoutSeconds;
  const common: Partial<Mutable<SshTarget>> = {
    hostKeyChecking,
    knownHostsFile,
    ...(agent !== undefined ? { agent } : {}),
    ...(timeoutSeconds !== undefined ? { connectTimeoutMs: timeoutSeconds * 1000 } : {}),
    ...(config.serverAliveIntervalSeconds !== undefined
      ? { keepaliveIntervalMs: config.serverAliveIntervalSeconds * 1000 }
      : {}),
  };
  const jump = pick(vars, 'proxy_jump', 'ssh_proxy_jump') ?? proxyJumpFromArgs(vars) ?? config.proxyJump;
  const target: Mutable<SshTarget> = { host, port, user, privateKeyPaths, ...common };
  setIfDefined(target, 'password', pick(vars, 'password', 'ssh_pass', 'ssh_password'));
  setIfDefined(target, 'passphrase', pick(vars, 'private_key_passphrase', 'ssh_private_key_passphrase'));
  setIfDefined(target, 'becomePassword', pick(vars, 'become_password', 'become_pass'));
  setIfDefined(target, 'maxChannels', toNumber(pick(vars, 'ssh_max_channels')));
  setIfDefined(target, 'retries', toNumber(pick(vars, 'ssh_retries')));
  const shell = pick(vars, 'ssh_persistent_shell');
  if (shell !== undefined) target.persistentShell = !['false', 'no', 'off', '0'].includes(String(shell).toLowerCase());
  if (jump !== undefined) target.proxyJump = jumpChain(jump, configPath, common, explicitKeys?.map(expand) ?? []);
  return target;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `rackplay_<name>` wins over `ansible_<name>`, for each spelling in turn. */
function pickRaw(vars: Vars, ...names: string[]): unknown {
  for (const prefix of ['rackplay_', 'ansible_']) {
    for (const name of names) {
      const value = vars[prefix + name];
      if (value !== undefined && value !== null && value !== '') return value;
    }
  }
  return undefined;
}

function pick(vars: Vars, ...names: string[]): string | undefined {
  const value = pickRaw(vars, ...names);
  return value === undefined ? undefined : String(value);
}

function pickList(vars: Vars, ...names: string[]): string[] | undefined {
  const value = pickRaw(vars, ...names);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function setIfDefined<K extends keyof SshTarget>(target: Mutable<SshTarget>, key: K, value: SshTarget[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function toNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

export function parseHostKeyChecking(value: unknown): HostKeyChecking | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).toLowerCase();
  if (['true', 'yes', 'strict', 'ask', '1'].includes(text)) return 'strict';
  if (['false', 'no', 'off', '0'].includes(text)) return 'off';
  if (text === 'accept-new') return 'accept-new';
  return undefined;
}

/** OpenSSH: configured IdentityFiles (those that exist) replace the defaults; otherwise the default keys that exist. */
function identityFiles(config: SshConfigOptions, expand: (p: string) => string): string[] {
  const configured = config.identityFiles.map(expand).filter((p) => existsSync(p));
  if (config.identityFiles.length > 0) return configured;
  return DEFAULT_IDENTITIES.map((name) => join(homedir(), '.ssh', name)).filter((p) => existsSync(p));
}

function agentSocket(value: string | undefined, expand: (p: string) => string): string | undefined {
  if (value === undefined || value === 'SSH_AUTH_SOCK') return process.env.SSH_AUTH_SOCK || undefined;
  if (value.startsWith('$')) return process.env[value.slice(1)] || undefined;
  return expand(value);
}

/** `~` and OpenSSH's % tokens (%d home, %u local user, %h host, %r remote user, %p port, %%). */
export function expandPath(path: string, p: { host: string; port: number; user: string }): string {
  const home = homedir();
  const tilde = path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
  return tilde.replace(/%([%dhpru])/g, (_, token: string) => {
    switch (token) {
      case 'd':
        return home;
      case 'u':
        return userInfo().username;
      case 'h':
        return p.host;
      case 'p':
        return String(p.port);
      case 'r':
        return p.user;
      default:
        return '%';
    }
  });
}

/** `-J hop` or `-o ProxyJump=hop` inside ansible_ssh_common_args / ansible_ssh_extra_args. */
function proxyJumpFromArgs(vars: Vars): string | undefined {
  const args = [pick(vars, 'ssh_common_args'), pick(vars, 'ssh_extra_args')].filter((a) => a !== undefined).join(' ');
  const found = /(?:-J\s*|ProxyJump[=\s]+)["']?([^\s"']+)/i.exec(args);
  return found?.[1];
}

/**
 * `a,b` means: reach a, from a reach b, from b reach the target. Each hop is `[user@]host[:port]` (or
 * ssh://…) resolved through the same ssh config; hop settings such as known_hosts follow the target's.
 * A hop's own ProxyJump in the config is not followed: the chain is the one spelled here.
 */
function jumpChain(
  spec: string,
  configPath: string,
  common: Partial<SshTarget>,
  targetKeys: readonly string[],
): SshTarget | undefined {
  let previous: SshTarget | undefined;
  for (const hop of spec.split(',').map((h) => h.trim()).filter((h) => h !== '')) {
    const found = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop);
    if (found === null) throw new Error(`cannot parse ProxyJump hop '${hop}'`);
    const destination = found[2]!.replace(/^\[|\]$/g, '');
    const config = readSshConfig(configPath, destination);
    const host = config.hostName?.replaceAll('%h', destination) ?? destination;
    const port = found[3] !== undefined ? Number(found[3]) : (config.port ?? 22);
    const user = found[1] ?? config.user ?? userInfo().username;
    const expand = (path: string): string => expandPath(path, { host, port, user });
    previous = {
      ...common,
      host,
      port,
      user,
      // The target's explicit keys come after the hop's own: a bastion often trusts the same key.
      privateKeyPaths: [...new Set([...identityFiles(config, expand), ...targetKeys])],
      ...(previous !== undefined ? { proxyJump: previous } : {}),
    };
  }
  return previous;
}
