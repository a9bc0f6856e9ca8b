import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../src/connection/ssh/index.js';
import { UnreachableError } from '../../src/connection/types.js';
import { iptablesUnsupportedReason, netnsUnsupportedReason, startNetnsLab, type NetnsHost, type NetnsLab } from '../lab/netns-lab.js';

// Every iptables command here runs inside a namespace this file created (lab.exec = ip netns exec):
// the controller's own ruleset is never read or changed.
const skipReason = netnsUnsupportedReason() ?? iptablesUnsupportedReason();
if (skipReason !== undefined) console.warn(`SKIPPED: netns iptables tests: ${skipReason}`);
const itLab = skipReason === undefined ? it : it.skip;
const skipped = skipReason === undefined ? '' : ` (SKIPPED: ${skipReason})`;

const MARK = 'rackplay-netns-lab-probe';

describe('netns lab: each host has its own iptables ruleset', () => {
  let lab: NetnsLab | undefined;
  beforeAll(async () => {
    if (skipReason === undefined) lab = await startNetnsLab({ hosts: 2 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  async function rules(host: NetnsHost): Promise<string> {
    const result = await lab!.exec(host, ['iptables', '-S']);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  }

  async function iptables(host: NetnsHost, ...args: string[]): Promise<void> {
    const result = await lab!.exec(host, ['iptables', ...args]);
    expect(result.code, result.stderr).toBe(0);
  }

  itLab(`a rule added in host-1's namespace is absent from host-2's${skipped}`, async () => {
    const [first, second] = lab!.hosts as [NetnsHost, NetnsHost];
    expect(await rules(first)).not.toContain(MARK);
    await iptables(first, '-A', 'INPUT', '-p', 'tcp', '--dport', '9', '-m', 'comment', '--comment', MARK, '-j', 'DROP');
    expect(await rules(first)).toContain(`-A INPUT -p tcp -m tcp --dport 9 -m comment --comment ${MARK} -j DROP`);
    expect(await rules(second)).not.toContain(MARK);
    await iptables(first, '-D', 'INPUT', '-p', 'tcp', '--dport', '9', '-m', 'comment', '--comment', MARK, '-j', 'DROP');
    expect(await rules(first)).not.toContain(MARK);
  });

  itLab(`a REJECT on port 22 in host-1 blocks SSH to host-1 only${skipped}`, async () => {
    const [first, second] = lab!.hosts as [NetnsHost, NetnsHost];
    const target = (host: NetnsHost) => ({
      host: host.address,
      user: lab!.user,
      privateKeyPaths: [lab!.privateKeyPath],
      knownHostsFile: lab!.knownHostsFile,
      hostKeyChecking: 'strict' as const,
      connectTimeoutMs: 3_000,
      retries: 0,
    });
    const rule = ['INPUT', '-p', 'tcp', '--dport', '22', '-m', 'comment', '--comment', MARK, '-j', 'REJECT', '--reject-with', 'tcp-reset'];
    await iptables(first, '-I', ...rule);
    try {
      const refused = await openSsh(target(first), first.name).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UnreachableError);
      const ssh = await openSsh(target(second), second.name);
      expect((await ssh.run(['hostname'])).stdout.trim()).toBe(second.name);
      await ssh.close();
    } finally {
      await iptables(first, '-D', ...rule);
    }
    const ssh = await openSsh(target(first), first.name);
    expect((await ssh.run(['hostname'])).stdout.trim()).toBe(first.name);
    await ssh.close();
  });
});
