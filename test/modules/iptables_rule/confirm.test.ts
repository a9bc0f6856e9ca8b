/**
 * confirm_timeout at module level, against real iptables in a namespace created here (never the machine's
 * own ruleset): the rollback scripts really run, and ctx.probeReachable is a stub that succeeds or fails.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/connection/types.js';
import type { ModuleContext, ModuleResult } from '../../../src/module/contract.js';
import iptablesRule from '../../../modules/iptables_rule/index.js';
import { emptyTableStanza, fileTag, probeBudgetMs } from '../../../modules/iptables_rule/confirm.js';
import type { IptablesRuleParamsFromSchema as IptablesRuleParams } from '../../../modules/iptables_rule/params.generated.js';
import { createNamespace, inNamespace, NetnsConnection, netnsUnavailable } from './netns.js';

describe('confirm_timeout helpers', () => {
  it('an empty table stanza has the built-in chains with policy ACCEPT', () => {
    expect(emptyTableStanza('nat')).toBe('*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n');
  });
  it('the host name becomes a safe piece of a file name', () => {
    expect(fileTag('web-1.example.com')).toBe('web-1.example.com');
    expect(fileTag('../etc/x y')).toBe('__etc_x_y');
    expect(fileTag('')).toBe('host');
    expect(fileTag('a'.repeat(60))).toHaveLength(40);
  });
  it('the probe gets well under what is left of the timeout, within 0.5–10 s', () => {
    expect(probeBudgetMs(3, 100)).toBe(1740);
    expect(probeBudgetMs(2, 1900)).toBe(500);
    expect(probeBudgetMs(3600, 0)).toBe(10_000);
  });
});

const unavailable = netnsUnavailable();
if (unavailable !== undefined) console.warn(`iptables_rule confirm_timeout namespace tests SKIPPED: ${unavailable}`);
const suite = unavailable === undefined ? describe : describe.skip;

const SECONDS = 2;
let ns: { readonly name: string; readonly remove: () => void } | undefined;
const namespace = (): string => {
  if (ns === undefined) throw new Error('no namespace');
  return ns.name;
};
/** Rules without comment lines and with zeroed counters, IPv4 then IPv6. */
const ruleset = (): string =>
  ['iptables-save', 'ip6tables-save']
    .map((tool) =>
      inNamespace(namespace(), [tool])
        .split('\n')
        .filter((line) => !line.startsWith('#'))
        .map((line) => line.replace(/\[\d+:\d+\]$/, '[0:0]'))
        .join('\n'),
    )
    .join('\n---\n');
const rollbackDirs = (): string[] =>
  ['/run', '/tmp'].flatMap((root) => {
    try {
      return readdirSync(root).filter((name) => name.startsWith('rackplay-iptables.netns.')).map((name) => join(root, name));
    } catch {
      return [];
    }
  });
/** PIDs of rollback processes in this test's namespace (the PID namespace is the machine's). */
const rollbackPids = (): string =>
  inNamespace(namespace(), ['sh', '-c', 'for p in $(pgrep -f [r]ackplay-iptables-rollback); do [ "$(readlink /proc/$p/ns/net)" = "$(readlink /proc/self/ns/net)" ] && echo "$p"; done; true']).trim();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Rollback PIDs once given up to a second to end (a cancelled rollback gets SIGTERM just before apply returns). */
const rollbackPidsSettled = async (): Promise<string> => {
  const deadline = performance.now() + 1000;
  let pids = rollbackPids();
  while (pids !== '' && performance.now() < deadline) {
    await sleep(100);
    pids = rollbackPids();
  }
  return pids;
};

async function converge(params: IptablesRuleParams, probe: ModuleContext['probeReachable'], check = false): Promise<ModuleResult | undefined> {
  const connection = new NetnsConnection(namespace());
  const ctx: ModuleContext = {
    connection,
    host: { name: 'netns', vars: {} },
    check,
    diff: false,
    baseDir: '/',
    renderTemplate: (source) => source,
    run: (argv, options) => connection.run(argv, options),
    ...(probe === undefined ? {} : { probeReachable: probe }),
  };
  const state = await iptablesRule.gather(ctx, params);
  const plan = iptablesRule.plan(params, state);
  if (check) return undefined;
  if (plan.failed !== undefined) throw new Error(plan.failed);
  if (iptablesRule.apply === undefined) throw new Error('iptables_rule has no apply');
  return iptablesRule.apply(ctx, plan, params);
}

suite('confirm_timeout against real iptables in a namespace', () => {
  beforeEach(() => {
    ns = createNamespace();
    inNamespace(namespace(), ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '8443', '-m', 'comment', '--comment', 'there before', '-j', 'ACCEPT']);
  });
  afterEach(() => {
    // Deleting the namespace does not end processes started in it: end this test's rollbacks by PID first.
    if (ns !== undefined) for (const pid of rollbackPids().split('\n').filter(Boolean)) process.kill(-Number(pid), 'SIGTERM');
    ns?.remove();
    ns = undefined;
  });

  const dropSsh: IptablesRuleParams = { chain: 'INPUT', protocol: 'tcp', destination_port: 22, ctstate: ['NEW'], jump: 'DROP', confirm_timeout: SECONDS };

  it('the probe fails: UnreachableError, the change stays until the rollback restores the ruleset, byte-identical', async () => {
    const before = ruleset();
    const dirsBefore = rollbackDirs();
    const failing = (): Promise<void> => Promise.reject(new UnreachableError('probe: no route'));
    const armed = performance.now();
    await expect(converge(dropSsh, failing)).rejects.toThrow(UnreachableError);
    expect(ruleset()).toContain('--dport 22 -m conntrack --ctstate NEW -j DROP');
    expect(rollbackPids()).not.toBe('');
    while (ruleset() !== before && performance.now() - armed < SECONDS * 1000 + 3000) await sleep(100);
    expect(ruleset()).toBe(before);
    expect(performance.now() - armed).toBeGreaterThanOrEqual(SECONDS * 1000 - 200);
    await sleep(200);
    expect(await rollbackPidsSettled()).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
  });

  it('a change to a table the saved set did not hold is undone too (nat brought into being)', async () => {
    const failing = (): Promise<void> => Promise.reject(new UnreachableError('probe: no route'));
    await expect(converge({ table: 'nat', chain: 'PREROUTING', protocol: 'tcp', destination_port: 80, jump: 'REDIRECT', confirm_timeout: SECONDS }, failing)).rejects.toThrow(UnreachableError);
    expect(inNamespace(namespace(), ['iptables-save', '-t', 'nat'])).toContain('-j REDIRECT');
    const started = performance.now();
    while (inNamespace(namespace(), ['iptables-save', '-t', 'nat']).includes('REDIRECT') && performance.now() - started < SECONDS * 1000 + 3000) await sleep(100);
    expect(inNamespace(namespace(), ['iptables-save', '-t', 'nat'])).not.toContain('REDIRECT');
  });

  it('the probe works: changed, confirmed, the rollback is cancelled and the change stays after the timeout', async () => {
    const dirsBefore = rollbackDirs();
    let probedWith = 0;
    const result = await converge({ chain: 'INPUT', protocol: 'tcp', destination_port: 8080, jump: 'ACCEPT', confirm_timeout: SECONDS }, (ms) => {
      probedWith = ms;
      return Promise.resolve();
    });
    expect(result).toMatchObject({ changed: true, confirmed: true });
    expect(probedWith).toBeGreaterThan(0);
    expect(probedWith).toBeLessThan(SECONDS * 1000);
    expect(await rollbackPidsSettled()).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
    await sleep(SECONDS * 1000 + 500);
    expect(ruleset()).toContain('-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT');
  });

  it('a failed change restores the saved ruleset at once: nothing else changes, no rollback is left', async () => {
    const before = ruleset();
    const dirsBefore = rollbackDirs();
    // The chain is new, so gather cannot ask `iptables -C`: -N works, then -A fails on the unknown match.
    const params: IptablesRuleParams = { chain: 'NEWCHAIN', chain_management: true, match: ['no-such-match'], jump: 'ACCEPT', confirm_timeout: SECONDS };
    await expect(converge(params, () => Promise.resolve())).rejects.toThrow(/no-such-match|Couldn't load match|the saved ruleset was restored/);
    expect(ruleset()).toBe(before);
    expect(await rollbackPidsSettled()).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
  });

  it('nothing to change, or check mode: nothing is armed and the probe is not called', async () => {
    const dirsBefore = rollbackDirs();
    let probes = 0;
    const probe = (): Promise<void> => ((probes += 1), Promise.resolve());
    const present: IptablesRuleParams = { chain: 'INPUT', protocol: 'tcp', destination_port: 8443, comment: 'there before', jump: 'ACCEPT', confirm_timeout: SECONDS };
    expect(await converge(present, probe)).toMatchObject({ changed: false });
    await converge(dropSsh, probe, true);
    expect(probes).toBe(0);
    expect(await rollbackPidsSettled()).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
  });

  it('without a way to probe, it refuses before arming or changing anything', async () => {
    const before = ruleset();
    await expect(converge(dropSsh, undefined)).rejects.toThrow(/cannot open a second connection/);
    expect(ruleset()).toBe(before);
    expect(await rollbackPidsSettled()).toBe('');
  });
});
