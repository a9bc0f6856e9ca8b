/**
 * iptables_rule through the CLI, over SSH (as root), against the netns lab: every host is a network namespace
 * with its own sshd and its own ruleset, so the machine's own iptables is never touched. Covers idempotent
 * playbooks on two hosts, --check, confirm_timeout's rollback when the change cuts the controller off, and
 * playbooks/lvs-realserver.yml.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { emptyTableStanza } from '../../modules/iptables_rule/confirm.js';
import { rackplay, recapOf, tempDir } from '../helpers/cli.js';
import { writeFiles } from '../helpers/playbook.js';
import { iptablesUnsupportedReason, netnsUnsupportedReason, startNetnsLab } from '../lab/netns-lab.js';
import type { NetnsHost, NetnsLab } from '../lab/netns-lab.js';

const unsupported = netnsUnsupportedReason() ?? iptablesUnsupportedReason();
if (unsupported !== undefined) console.warn(`SKIPPED iptables_rule playbook tests over SSH: ${unsupported}`);
const describeLab = unsupported === undefined ? describe : describe.skip;

/** The lock-out test's timeout, and the harmless one's (whose probe must succeed within about 60% of it). */
const CONFIRM_SECONDS = 3;
const HARMLESS_SECONDS = 4;

/** Rules of one ruleset for comparison: no `#` lines, chain counters zeroed. */
function normalised(save: string): string {
  return save
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/\[\d+:\d+\]$/, '[0:0]'))
    .join('\n');
}

/** The lines of one table of an iptables-save output, between `*TABLE` and its COMMIT. */
function tableLines(save: string, table: string): string[] {
  const lines = save.split('\n');
  const start = lines.indexOf(`*${table}`);
  if (start < 0) return [];
  const end = lines.indexOf('COMMIT', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const RULES_PLAYBOOK = `
- hosts: all
  tasks:
    - name: established first
      iptables_rule: { chain: INPUT, ctstate: [ESTABLISHED, RELATED], jump: ACCEPT, action: insert, rule_num: 1 }
    - name: ssh, except from a bad net, with a comment with spaces
      iptables_rule: { chain: INPUT, protocol: tcp, destination_port: 22, source: "!192.0.2.0/24", jump: ACCEPT, comment: "ssh from anywhere but the bad net" }
    - name: web ports through multiport
      iptables_rule: { chain: INPUT, protocol: tcp, destination_ports: [80, 443, "8000:8080"], ctstate: [NEW], jump: ACCEPT, comment: web ports }
    - name: not from a negated interface
      iptables_rule: { chain: INPUT, in_interface: "!lo", protocol: udp, destination_port: 5353, jump: DROP }
    - name: a user chain
      iptables_rule: { chain: LOGDROP, chain_management: true }
    - name: log in it
      iptables_rule: { chain: LOGDROP, limit: 5/minute, jump: LOG, log_prefix: "dropped: " }
    - name: then drop
      iptables_rule: { chain: LOGDROP, jump: DROP }
    - name: a rule of this host only
      iptables_rule: { chain: INPUT, source: "{{ansible_host}}", jump: ACCEPT, comment: "self {{inventory_hostname}}" }
    - name: nat REDIRECT
      iptables_rule: { table: nat, chain: PREROUTING, destination: 192.0.2.80, protocol: tcp, destination_port: 80, jump: REDIRECT, to_ports: 8080 }
    - name: forward policy
      iptables_rule: { chain: FORWARD, policy: DROP }
    - name: ip6tables
      iptables_rule: { ip_version: ipv6, chain: INPUT, protocol: ipv6-icmp, icmp_type: echo-request, jump: ACCEPT }
    - name: a rule that is not there stays away
      iptables_rule: { chain: INPUT, protocol: tcp, destination_port: 23, jump: ACCEPT, state: absent }
`;
const RULES_CHANGED = 11;

describeLab(`iptables_rule playbooks over SSH in the netns lab${unsupported ? ` (SKIPPED: ${unsupported})` : ''}`, () => {
  let lab: NetnsLab;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let files: Record<string, string>;

  const exec = async (host: NetnsHost, argv: readonly string[]): Promise<string> => {
    const result = await lab.exec(host, argv);
    if (result.code !== 0) throw new Error(`${host.name}: ${argv.join(' ')}: exit ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  const saved = async (host: NetnsHost): Promise<string> =>
    `${normalised(await exec(host, ['iptables-save']))}\n---ipv6---\n${normalised(await exec(host, ['ip6tables-save']))}`;
  /** Every table empty with policy ACCEPT, IPv4 and IPv6. */
  const reset = async (host: NetnsHost): Promise<void> => {
    const stanzas = ['filter', 'nat', 'mangle', 'raw'].map(emptyTableStanza).join('');
    await exec(host, ['sh', '-c', 'printf "%s" "$1" | iptables-restore && printf "%s" "$2" | ip6tables-restore', 'sh', stanzas, emptyTableStanza('filter')]);
  };
  const rollbackDirs = (): string[] =>
    ['/run', '/tmp'].flatMap((root) => {
      try {
        return readdirSync(root).filter((name) => name.startsWith('rackplay-iptables.host-')).map((name) => join(root, name));
      } catch {
        return [];
      }
    });
  const rollbackProcesses = async (host: NetnsHost): Promise<string> => {
    // pgrep inside the namespace would see every process of the machine (same PID namespace): match on the
    // processes whose network namespace is this host's.
    // A cancelled rollback gets SIGTERM just before the task ends: give it up to a second to be gone.
    const deadline = performance.now() + 1000;
    for (;;) {
      const result = await lab.exec(host, ['sh', '-c', 'for p in $(pgrep -f [r]ackplay-iptables-rollback); do [ "$(readlink /proc/$p/ns/net)" = "$(readlink /proc/self/ns/net)" ] && echo "$p"; done; true']);
      const pids = result.stdout.trim();
      if (pids === '' || performance.now() > deadline) return pids;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    lab = await startNetnsLab({ hosts: 2, loginAsRoot: true });
    dir = await tempDir('rackplay-iptables-ssh-');
    const inventory = parse(lab.inventoryYaml()) as { all: Record<string, unknown> };
    inventory.all.children = { web: { hosts: Object.fromEntries(lab.hosts.map((host) => [host.name, null])) } };
    files = await writeFiles(dir.path, {
      'rules.yml': RULES_PLAYBOOK,
      'hosts.yml': stringify(inventory),
      'ping.yml': '- hosts: all\n  tasks:\n    - command: "true"\n',
    });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
    await dir?.cleanup();
  });
  /** Rollback folders of lab hosts that were there before the test (left by an earlier, interrupted run). */
  let dirsBefore: string[] = [];
  beforeEach(async () => {
    for (const host of lab.hosts) await reset(host);
    dirsBefore = rollbackDirs();
  });

  it('a playbook of rules converges both hosts, each with its own ruleset; the second run and --check change nothing', async () => {
    const args = ['run', files['rules.yml']!, '-i', files['hosts.yml']!, '--output', 'plain'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const host of lab.hosts) expect(recapOf(first.stdout, host.name)).toMatchObject({ changed: RULES_CHANGED, failed: 0, unreachable: 0 });

    const [one, two] = lab.hosts as [NetnsHost, NetnsHost];
    for (const [host, other] of [[one, two], [two, one]] as const) {
      const rules = await exec(host, ['iptables-save']);
      expect(rules).toContain(':FORWARD DROP');
      expect(rules).toContain('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
      expect(rules).toContain('-A INPUT ! -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -m comment --comment "ssh from anywhere but the bad net" -j ACCEPT');
      expect(rules).toContain('-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -m conntrack --ctstate NEW -m comment --comment "web ports" -j ACCEPT');
      expect(rules).toContain('-A INPUT ! -i lo -p udp -m udp --dport 5353 -j DROP');
      expect(rules).toContain(':LOGDROP - [0:0]');
      expect(rules).toContain('-A LOGDROP -m limit --limit 5/min -j LOG --log-prefix "dropped: "');
      expect(rules).toContain('-A LOGDROP -j DROP');
      expect(rules).toContain('-A PREROUTING -d 192.0.2.80/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080');
      expect(rules).toContain(`-A INPUT -s ${host.address}/32 -m comment --comment "self ${host.name}" -j ACCEPT`);
      expect(rules).not.toContain(`self ${other.name}`);
      expect(rules).not.toContain('--dport 23');
      expect(await exec(host, ['ip6tables-save'])).toContain('-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT');
    }

    const before = await Promise.all(lab.hosts.map(saved));
    const second = await rackplay(...args);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const host of lab.hosts) expect(recapOf(second.stdout, host.name)).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(lab.hosts.map(saved))).toEqual(before);

    // One host drifts: --check reports the one change there and changes nothing anywhere.
    await exec(one, ['iptables', '-D', 'LOGDROP', '-j', 'DROP']);
    const drifted = await Promise.all(lab.hosts.map(saved));
    const check = await rackplay(...args, '--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recapOf(check.stdout, one.name)).toMatchObject({ changed: 1, failed: 0 });
    expect(recapOf(check.stdout, two.name)).toMatchObject({ changed: 0, failed: 0 });
    expect(check.stdout).toContain('-A LOGDROP -j DROP');
    expect(await Promise.all(lab.hosts.map(saved))).toEqual(drifted);
    expect(rollbackDirs()).toEqual(dirsBefore);
  }, 120_000);

  it('confirm_timeout: a rule that cuts off new SSH connections makes the host UNREACHABLE, and the host restores its ruleset by itself', async () => {
    const [one, two] = lab.hosts as [NetnsHost, NetnsHost];
    // Something in filter and nat beforehand, so that "before" is a real ruleset.
    await exec(one, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '8443', '-m', 'comment', '--comment', 'kept as it was', '-j', 'ACCEPT']);
    await exec(one, ['iptables', '-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', '81', '-j', 'REDIRECT', '--to-ports', '8081']);
    const before = await saved(one);
    const otherBefore = await saved(two);
    const playbook = (await writeFiles(dir.path, {
      'lockout.yml': `
- hosts: ${one.name}
  tasks:
    - name: drop new ssh connections
      iptables_rule:
        chain: INPUT
        protocol: tcp
        destination_port: 22
        ctstate: [NEW]
        jump: DROP
        action: insert
        confirm_timeout: ${CONFIRM_SECONDS}
`,
    }))['lockout.yml']!;
    const started = performance.now();
    const run = await rackplay('run', playbook, '-i', files['hosts.yml']!, '--output', 'plain');
    const ranMs = performance.now() - started;
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(recapOf(run.stdout, one.name)).toMatchObject({ unreachable: 1 });
    const armedDir = /\((\/(?:run|tmp)\/rackplay-iptables\.host-1\.[^)]+)\)/.exec(run.stdout)?.[1];
    expect(armedDir, run.stdout).toBeDefined();
    // The drop rule is in place while the rollback waits.
    if (ranMs < CONFIRM_SECONDS * 1000 - 500) expect(await exec(one, ['iptables-save'])).toContain('--dport 22 -m conntrack --ctstate NEW -j DROP');

    // Wait for the rollback: at most N s after arming, plus slack.
    const deadline = performance.now() + CONFIRM_SECONDS * 1000 + 5_000;
    let after = await saved(one);
    while (after !== before && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await saved(one);
    }
    expect(after).toBe(before);
    expect(await saved(two)).toBe(otherBefore);
    expect(await rollbackProcesses(one)).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
    expect(rollbackDirs()).not.toContain(armedDir);
    // And the controller can come back.
    const ping = await rackplay('run', files['ping.yml']!, '-i', files['hosts.yml']!, '--output', 'plain');
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
  }, 60_000);

  it('confirm_timeout: a harmless rule is confirmed, the rollback is cancelled and the rule stays', async () => {
    const [one] = lab.hosts as [NetnsHost];
    const playbook = (await writeFiles(dir.path, {
      'harmless.yml': `
- hosts: ${one.name}
  tasks:
    - name: a harmless rule, confirmed
      iptables_rule: { chain: INPUT, protocol: tcp, destination_port: 8080, jump: ACCEPT, comment: confirmed, confirm_timeout: ${HARMLESS_SECONDS} }
      register: confirmed
    - assert:
        that: ["confirmed.confirmed"]
      when: "not ansible_check_mode"
`,
    }))['harmless.yml']!;
    const run = await rackplay('run', playbook, '-i', files['hosts.yml']!, '--output', 'plain');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recapOf(run.stdout, one.name)).toMatchObject({ changed: 1, failed: 0, unreachable: 0 });
    expect(await rollbackProcesses(one)).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
    await new Promise((resolve) => setTimeout(resolve, (HARMLESS_SECONDS + 1) * 1000));
    expect(await exec(one, ['iptables-save'])).toContain('-A INPUT -p tcp -m tcp --dport 8080 -m comment --comment confirmed -j ACCEPT');
    // --check with confirm_timeout arms nothing.
    const check = await rackplay('run', playbook, '-i', files['hosts.yml']!, '--output', 'plain', '--check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(await rollbackProcesses(one)).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
  }, 60_000);

  it('playbooks/lvs-realserver.yml converges both web hosts, the second run changes nothing, and the hosts stay reachable', async () => {
    const lvs = join(import.meta.dirname, '..', '..', 'playbooks', 'lvs-realserver.yml');
    const args = ['run', lvs, '-i', files['hosts.yml']!, '-e', 'vip=192.0.2.80', '-e', 'confirm_timeout=10', '--output', 'plain'];
    const first = await rackplay(...args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const host of lab.hosts) expect(recapOf(first.stdout, host.name)).toMatchObject({ changed: 6, failed: 0, unreachable: 0 });
    for (const host of lab.hosts) {
      const save = await exec(host, ['iptables-save']);
      const lines = tableLines(save, 'filter');
      expect(lines.find((line) => line.startsWith(':INPUT '))).toMatch(/^:INPUT DROP \[\d+:\d+\]$/);
      expect(tableLines(save, 'nat')).toContain('-A PREROUTING -d 192.0.2.80/32 -p tcp -m tcp --dport 80 -m comment --comment "LVS-DR VIP" -j REDIRECT');
      expect(lines.filter((line) => line.startsWith('-A INPUT '))).toEqual([
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A INPUT -i lo -j ACCEPT',
        '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m comment --comment ssh -j ACCEPT',
        '-A INPUT -p tcp -m tcp --dport 80 -m conntrack --ctstate NEW -m comment --comment http -j ACCEPT',
      ]);
    }
    const second = await rackplay(...args);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    for (const host of lab.hosts) expect(recapOf(second.stdout, host.name)).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    // Policy DROP, yet a new SSH connection still works.
    const ping = await rackplay('run', files['ping.yml']!, '-i', files['hosts.yml']!, '--output', 'plain');
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    for (const host of lab.hosts) expect(await rollbackProcesses(host)).toBe('');
    expect(rollbackDirs()).toEqual(dirsBefore);
  }, 120_000);
});
