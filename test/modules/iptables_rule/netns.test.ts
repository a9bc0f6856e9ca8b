import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IptablesRuleParamsFromSchema as IptablesRuleParams } from '../../../modules/iptables_rule/params.generated.js';
import { chainLines, converge, createNamespace, inNamespace, netnsUnavailable, savedTable } from './netns.js';

const unavailable = netnsUnavailable();
if (unavailable !== undefined) console.warn(`iptables_rule namespace tests SKIPPED: ${unavailable}`);
const suite = unavailable === undefined ? describe : describe.skip;
const title = (name: string): string => (unavailable === undefined ? name : `${name} (skipped: ${unavailable})`);

let ns: { readonly name: string; readonly remove: () => void } | undefined;
const namespace = (): string => {
  if (ns === undefined) throw new Error('no namespace');
  return ns.name;
};

interface RenderCase {
  readonly name: string;
  readonly params: IptablesRuleParams;
  /** The line iptables-save prints, when the test pins it down explicitly. */
  readonly saved?: string;
  readonly setup?: readonly (readonly string[])[];
}

const renderCases: readonly RenderCase[] = [
  { name: 'source, protocol and port', params: { chain: 'INPUT', source: '10.0.0.1', protocol: 'tcp', destination_port: 22, jump: 'ACCEPT' }, saved: '-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j ACCEPT' },
  { name: 'negation of source and port', params: { chain: 'INPUT', source: '!10.0.0.0/8', protocol: 'tcp', destination_port: '! 22:25', jump: 'DROP' }, saved: '-A INPUT ! -s 10.0.0.0/8 -p tcp -m tcp ! --dport 22:25 -j DROP' },
  { name: 'negated protocol and interface', params: { chain: 'INPUT', protocol: '!udp', in_interface: '!lo', jump: 'ACCEPT' }, saved: '-A INPUT ! -i lo ! -p udp -j ACCEPT' },
  { name: 'multiport and a comment with spaces', params: { chain: 'INPUT', protocol: 'tcp', destination_ports: ['80', 443, '8000:8080'], comment: 'web traffic here', jump: 'ACCEPT' }, saved: '-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -m comment --comment "web traffic here" -j ACCEPT' },
  { name: 'comment with quotes and a backslash', params: { chain: 'INPUT', comment: 'it\'s "quoted" \\ here', jump: 'ACCEPT' } },
  { name: 'ctstate through conntrack', params: { chain: 'INPUT', ctstate: ['established', 'RELATED'], jump: 'ACCEPT' }, saved: '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT' },
  { name: 'ctstate through the state match, port by service name', params: { chain: 'INPUT', match: ['state'], ctstate: ['NEW', 'INVALID'], protocol: 'tcp', destination_port: 'ssh', jump: 'ACCEPT' }, saved: '-A INPUT -p tcp -m tcp --dport 22 -m state --state INVALID,NEW -j ACCEPT' },
  { name: 'interfaces, destination network, udp source port', params: { chain: 'FORWARD', in_interface: 'lo', out_interface: 'eth+', destination: '192.168.1.77/24', protocol: 'udp', source_port: 53, jump: 'ACCEPT' }, saved: '-A FORWARD -d 192.168.1.0/24 -i lo -o eth+ -p udp -m udp --sport 53 -j ACCEPT' },
  { name: 'netmask written as dotted quad', params: { chain: 'INPUT', source: '10.1.2.3/255.255.0.0', jump: 'ACCEPT' }, saved: '-A INPUT -s 10.1.0.0/16 -j ACCEPT' },
  { name: 'protocol by number', params: { chain: 'INPUT', protocol: '17', destination_port: 53, jump: 'ACCEPT' }, saved: '-A INPUT -p udp -m udp --dport 53 -j ACCEPT' },
  { name: 'iprange', params: { chain: 'INPUT', src_range: '10.0.0.1-10.0.0.9', dst_range: '!10.1.0.1-10.1.0.2', jump: 'ACCEPT' }, saved: '-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 10.1.0.1-10.1.0.2 -j ACCEPT' },
  { name: 'syn match', params: { chain: 'INPUT', protocol: 'tcp', syn: 'match', jump: 'ACCEPT' }, saved: '-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT' },
  { name: 'syn negate', params: { chain: 'INPUT', protocol: 'tcp', syn: 'negate', jump: 'ACCEPT' }, saved: '-A INPUT -p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT' },
  { name: 'tcp_flags', params: { chain: 'INPUT', protocol: 'tcp', tcp_flags: { flags: ['ALL'], flags_set: ['ACK', 'SYN'] }, jump: 'DROP' }, saved: '-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN,ACK -j DROP' },
  { name: 'icmp type by name', params: { chain: 'INPUT', protocol: 'icmp', icmp_type: 'echo-request', jump: 'ACCEPT' }, saved: '-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT' },
  { name: 'icmp type with code', params: { chain: 'INPUT', protocol: 'icmp', icmp_type: 'port-unreachable', jump: 'ACCEPT' }, saved: '-A INPUT -p icmp -m icmp --icmp-type 3/3 -j ACCEPT' },
  { name: 'fragments', params: { chain: 'FORWARD', fragment: true, jump: 'DROP' }, saved: '-A FORWARD -f -j DROP' },
  { name: 'not fragments', params: { chain: 'FORWARD', fragment: false, protocol: 'udp', jump: 'DROP' }, saved: '-A FORWARD -p udp ! -f -j DROP' },
  { name: 'limit and LOG with level by name', params: { chain: 'INPUT', limit: '5/minute', limit_burst: 10, jump: 'LOG', log_prefix: 'IN: ', log_level: 'info' }, saved: '-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG --log-prefix "IN: " --log-level 6' },
  { name: 'limit_burst alone and the default log level', params: { chain: 'INPUT', limit_burst: 7, jump: 'LOG', log_level: 4 }, saved: '-A INPUT -m limit --limit 3/hour --limit-burst 7 -j LOG' },
  { name: 'reject_with implies REJECT', params: { chain: 'INPUT', protocol: 'tcp', reject_with: 'tcp-reset' }, saved: '-A INPUT -p tcp -j REJECT --reject-with tcp-reset' },
  { name: 'REJECT with its default', params: { chain: 'INPUT', source: '192.0.2.1', jump: 'REJECT' }, saved: '-A INPUT -s 192.0.2.1/32 -j REJECT --reject-with icmp-port-unreachable' },
  { name: 'owner match', params: { chain: 'OUTPUT', uid_owner: 0, gid_owner: '!0', jump: 'ACCEPT' }, saved: '-A OUTPUT -m owner --uid-owner 0 ! --gid-owner 0 -j ACCEPT' },
  { name: 'xtables lock wait', params: { chain: 'INPUT', wait: 2, source: '10.9.9.9', jump: 'DROP' }, saved: '-A INPUT -s 10.9.9.9/32 -j DROP' },
  { name: 'goto a user chain', params: { chain: 'INPUT', protocol: 'tcp', goto: 'WEB' }, setup: [['iptables', '-N', 'WEB']], saved: '-A INPUT -p tcp -g WEB' },
  { name: 'jump to a user chain', params: { chain: 'INPUT', protocol: 'TCP', jump: 'WEB' }, setup: [['iptables', '-N', 'WEB']], saved: '-A INPUT -p tcp -j WEB' },
  { name: 'nat REDIRECT', params: { table: 'nat', chain: 'PREROUTING', destination: '10.0.0.100', protocol: 'tcp', destination_port: 80, jump: 'REDIRECT', to_ports: 8080 }, saved: '-A PREROUTING -d 10.0.0.100/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080' },
  { name: 'nat DNAT', params: { table: 'nat', chain: 'PREROUTING', protocol: 'tcp', destination_port: 81, jump: 'DNAT', to_destination: '10.0.0.5:8080' }, saved: '-A PREROUTING -p tcp -m tcp --dport 81 -j DNAT --to-destination 10.0.0.5:8080' },
  { name: 'nat SNAT', params: { table: 'nat', chain: 'POSTROUTING', out_interface: 'eth0', jump: 'SNAT', to_source: '192.0.2.4' }, saved: '-A POSTROUTING -o eth0 -j SNAT --to-source 192.0.2.4' },
  { name: 'nat MASQUERADE', params: { table: 'nat', chain: 'POSTROUTING', out_interface: 'eth0', jump: 'MASQUERADE' }, saved: '-A POSTROUTING -o eth0 -j MASQUERADE' },
  { name: 'mangle DSCP value', params: { table: 'mangle', chain: 'PREROUTING', jump: 'DSCP', set_dscp_mark: 10 }, saved: '-A PREROUTING -j DSCP --set-dscp 0x0a' },
  { name: 'mangle DSCP class', params: { table: 'mangle', chain: 'FORWARD', jump: 'DSCP', set_dscp_mark_class: 'EF' }, saved: '-A FORWARD -j DSCP --set-dscp 0x2e' },
  { name: 'mangle TEE', params: { table: 'mangle', chain: 'PREROUTING', jump: 'TEE', gateway: '10.0.0.1' }, saved: '-A PREROUTING -j TEE --gateway 10.0.0.1' },
  { name: 'raw table', params: { table: 'raw', chain: 'PREROUTING', protocol: 'udp', destination_port: 4789, jump: 'ACCEPT' }, saved: '-A PREROUTING -p udp -m udp --dport 4789 -j ACCEPT' },
  { name: 'ip6tables source and port', params: { ip_version: 'ipv6', chain: 'INPUT', source: '2001:DB8:0::1', protocol: 'tcp', destination_port: 22, jump: 'ACCEPT' }, saved: '-A INPUT -s 2001:db8::1/128 -p tcp -m tcp --dport 22 -j ACCEPT' },
  { name: 'ip6tables icmpv6 type', params: { ip_version: 'ipv6', chain: 'INPUT', protocol: 'icmpv6', icmp_type: 'echo-request', jump: 'ACCEPT' }, saved: '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT' },
  { name: 'ip6tables network and REJECT', params: { ip_version: 'ipv6', chain: 'INPUT', source: '2001:db8:0:0:1::/64', jump: 'REJECT' }, saved: '-A INPUT -s 2001:db8::/64 -j REJECT --reject-with icmp6-port-unreachable' },
];

suite('iptables_rule against real iptables in a network namespace', () => {
  beforeEach(() => {
    ns = createNamespace();
  });
  afterEach(() => {
    ns?.remove();
    ns = undefined;
  });

  describe('every option renders as iptables-save prints it; check mode changes nothing; the second run is ok', () => {
    it.each(renderCases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
      const name = namespace();
      for (const argv of testCase.setup ?? []) inNamespace(name, argv);
      const v6 = testCase.params.ip_version === 'ipv6';
      const table = testCase.params.table ?? 'filter';
      const chain = testCase.params.chain ?? '';
      const before = savedTable(name, table, v6);

      const checked = await converge(name, testCase.params, { check: true });
      expect(checked.plan.failed).toBeUndefined();
      expect(checked.changed).toBe(true);
      expect(savedTable(name, table, v6)).toBe(before);

      const first = await converge(name, testCase.params);
      expect(first.plan.failed).toBeUndefined();
      expect(first.changed).toBe(true);
      const lines = chainLines(name, chain, table, v6);
      // The canonical rendering the plan predicts is exactly what iptables-save prints.
      expect(lines).toEqual([first.plan.result?.rule]);
      if (testCase.saved !== undefined) expect(lines).toEqual([testCase.saved]);
      const diff = first.plan.diff as { after: string };
      expect(diff.after).toContain(`${lines[0] ?? ''}\n`);

      const second = await converge(name, testCase.params);
      expect(second.changed).toBe(false);
      expect(second.plan.noopReason).toBe('rule is present');
      expect(chainLines(name, chain, table, v6)).toEqual(lines);
    });
  });

  it('state=absent removes exactly one rule, then reports ok', async () => {
    const name = namespace();
    const params: IptablesRuleParams = { chain: 'INPUT', protocol: 'tcp', destination_port: 22, jump: 'ACCEPT' };
    inNamespace(name, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT']);
    inNamespace(name, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '80', '-j', 'ACCEPT']);
    inNamespace(name, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT']);
    const checked = await converge(name, { ...params, state: 'absent' }, { check: true });
    expect(checked.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toHaveLength(3);
    const first = await converge(name, { ...params, state: 'absent' });
    expect(first.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual(['-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT']);
    await converge(name, { ...params, state: 'absent' });
    const last = await converge(name, { ...params, state: 'absent' });
    expect(last.changed).toBe(false);
    expect(last.plan.noopReason).toBe('rule is absent');
    expect(chainLines(name, 'INPUT')).toEqual(['-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT']);
  });

  it('a rule iptables-save prints differently from its canonical form (host name) is still found by iptables -C', async () => {
    const name = namespace();
    inNamespace(name, ['iptables', '-A', 'INPUT', '-s', 'localhost', '-j', 'ACCEPT']);
    const outcome = await converge(name, { chain: 'INPUT', source: 'localhost', jump: 'ACCEPT' });
    expect(outcome.changed).toBe(false);
    const enforced = await converge(name, { chain: 'INPUT', source: 'localhost', jump: 'ACCEPT', action: 'insert', rule_num: 1, position_enforced: true });
    expect(enforced.plan.failed).toMatch(/position cannot be verified/);
    const removed = await converge(name, { chain: 'INPUT', source: 'localhost', jump: 'ACCEPT', state: 'absent' });
    expect(removed.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([]);
  });

  it('policy: changed only when it differs; check mode leaves it', async () => {
    const name = namespace();
    const checked = await converge(name, { chain: 'INPUT', policy: 'DROP' }, { check: true });
    expect(checked.changed).toBe(true);
    expect(savedTable(name)).toContain(':INPUT ACCEPT');
    const first = await converge(name, { chain: 'INPUT', policy: 'DROP' });
    expect(first.changed).toBe(true);
    expect(first.plan.diff).toEqual({ path: 'iptables-save -t filter INPUT', before: ':INPUT ACCEPT\n', after: ':INPUT DROP\n' });
    expect(savedTable(name)).toContain(':INPUT DROP');
    const second = await converge(name, { chain: 'INPUT', policy: 'DROP' });
    expect(second.changed).toBe(false);
    const ipv6 = await converge(name, { chain: 'FORWARD', policy: 'DROP', ip_version: 'ipv6' });
    expect(ipv6.changed).toBe(true);
    expect(savedTable(name, 'filter', true)).toContain(':FORWARD DROP');
    expect(savedTable(name)).toContain(':FORWARD ACCEPT');
  });

  it('flush: an empty chain is ok, a chain with rules is changed once; flush without chain empties the table', async () => {
    const name = namespace();
    const empty = await converge(name, { chain: 'INPUT', flush: true });
    expect(empty.changed).toBe(false);
    inNamespace(name, ['iptables', '-A', 'INPUT', '-s', '10.0.0.1', '-j', 'DROP']);
    inNamespace(name, ['iptables', '-A', 'OUTPUT', '-d', '10.0.0.1', '-j', 'DROP']);
    const checked = await converge(name, { chain: 'INPUT', flush: true }, { check: true });
    expect(checked.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toHaveLength(1);
    const first = await converge(name, { chain: 'INPUT', flush: true });
    expect(first.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([]);
    expect(chainLines(name, 'OUTPUT')).toHaveLength(1);
    expect((await converge(name, { chain: 'INPUT', flush: true })).changed).toBe(false);
    const table = await converge(name, { flush: true });
    expect(table.changed).toBe(true);
    expect(chainLines(name, 'OUTPUT')).toEqual([]);
    expect((await converge(name, { flush: true })).changed).toBe(false);
  });

  it('chain_management creates, fills and deletes a user chain, each once', async () => {
    const name = namespace();
    const created = await converge(name, { chain: 'WEB', chain_management: true });
    expect(created.changed).toBe(true);
    expect(savedTable(name)).toContain(':WEB - [0:0]');
    expect((await converge(name, { chain: 'WEB', chain_management: true })).changed).toBe(false);

    const missing = await converge(name, { chain: 'API', protocol: 'tcp', destination_port: 8443, jump: 'ACCEPT' });
    expect(missing.plan.failed).toMatch(/chain API does not exist/);
    const both = await converge(name, { chain: 'API', chain_management: true, protocol: 'tcp', destination_port: 8443, jump: 'ACCEPT' });
    expect(both.changed).toBe(true);
    expect(chainLines(name, 'API')).toEqual(['-A API -p tcp -m tcp --dport 8443 -j ACCEPT']);
    expect((await converge(name, { chain: 'API', chain_management: true, protocol: 'tcp', destination_port: 8443, jump: 'ACCEPT' })).changed).toBe(false);

    const deleted = await converge(name, { chain: 'WEB', chain_management: true, state: 'absent' });
    expect(deleted.changed).toBe(true);
    expect(savedTable(name)).not.toContain(':WEB');
    expect((await converge(name, { chain: 'WEB', chain_management: true, state: 'absent' })).changed).toBe(false);
  });

  it('insert: at the top by default, at rule_num, and moved there with position_enforced', async () => {
    const name = namespace();
    for (const port of ['1', '2', '3']) inNamespace(name, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', port, '-j', 'ACCEPT']);
    const rule = (port: number): IptablesRuleParams => ({ chain: 'INPUT', protocol: 'tcp', destination_port: port, jump: 'ACCEPT' });
    const line = (port: number): string => `-A INPUT -p tcp -m tcp --dport ${port} -j ACCEPT`;

    expect((await converge(name, { ...rule(9), action: 'insert' })).changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([line(9), line(1), line(2), line(3)]);
    expect((await converge(name, { ...rule(8), action: 'insert', rule_num: 3 })).changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([line(9), line(1), line(8), line(2), line(3)]);

    // Ansible's behaviour: present anywhere is enough.
    expect((await converge(name, { ...rule(3), action: 'insert', rule_num: 1 })).changed).toBe(false);
    // position_enforced moves it.
    const checked = await converge(name, { ...rule(3), action: 'insert', rule_num: 1, position_enforced: true }, { check: true });
    expect(checked.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([line(9), line(1), line(8), line(2), line(3)]);
    const moved = await converge(name, { ...rule(3), action: 'insert', rule_num: 1, position_enforced: true });
    expect(moved.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([line(3), line(9), line(1), line(8), line(2)]);
    expect((moved.plan.diff as { after: string }).after).toBe(`:INPUT ACCEPT\n${chainLines(name, 'INPUT').join('\n')}\n`);
    expect((await converge(name, { ...rule(3), action: 'insert', rule_num: 1, position_enforced: true })).changed).toBe(false);
    const down = await converge(name, { ...rule(9), action: 'insert', rule_num: 4, position_enforced: true });
    expect(down.changed).toBe(true);
    expect(chainLines(name, 'INPUT')).toEqual([line(3), line(1), line(8), line(9), line(2)]);
    expect((await converge(name, { ...rule(9), action: 'insert', rule_num: 4, position_enforced: true })).changed).toBe(false);
  });

  it('an iptables error (unknown match) fails the task with its stderr, and nothing changes', async () => {
    const name = namespace();
    const before = savedTable(name);
    const outcome = await converge(name, { chain: 'INPUT', match: ['nosuchmatch'], jump: 'ACCEPT' });
    expect(outcome.plan.failed).toMatch(/Couldn't load match `nosuchmatch'/);
    expect(outcome.plan.changes).toEqual([]);
    expect(savedTable(name)).toBe(before);
  });

  it('an error raised by apply (rule refused by the kernel) carries the stderr', async () => {
    const name = namespace();
    // owner is only valid in OUTPUT/POSTROUTING: iptables -C cannot tell, -A fails.
    await expect(converge(name, { chain: 'INPUT', uid_owner: 0, jump: 'ACCEPT' })).rejects.toThrow(/RULE_APPEND failed|Invalid argument/);
    expect(chainLines(name, 'INPUT')).toEqual([]);
  });
});

// Only when skipping: keeps the reason in the test report.
if (unavailable !== undefined) it.skip(title('iptables_rule namespace tests'), () => {});
