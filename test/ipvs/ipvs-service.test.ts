import { beforeEach, expect, it } from 'vitest';
import { recapOf } from '../helpers/cli.js';
import { describeIpvs, ipvsPlaybook, loadTable, runPlaybook, savedTable, taskResult, useIpvsVm } from './ipvs-vm-fixture.js';

/**
 * ipvs_service against a real kernel: Debian's, under QEMU (the controller's kernel has no ip_vs). Every
 * assertion reads the kernel's table back with ipvsadm in the guest; the table is emptied before each test.
 * Real servers live in 10.1.1.0/24 and fd00:1::/64, the guest's dummy-interface subnets.
 */
describeIpvs('ipvs_service against a real kernel (QEMU)', () => {
  const vm = useIpvsVm(async (started) => {
    await started.shell.check('modprobe ip_vs');
  });
  beforeEach(async () => {
    await vm().shell.check('ipvsadm -C');
  });

  const backend = (address: string, extra: Record<string, unknown> = {}) => ({ address, forwarding: 'nat', ...extra });
  const web = (overrides: Record<string, unknown> = {}, weight = 3) => ({
    address: '10.0.0.1',
    port: 80,
    scheduler: 'rr',
    real_servers: [backend('10.1.1.2', { port: 80, weight }), backend('10.1.1.3', { port: 8080 })],
    ...overrides,
  });
  const WEB_TABLE = ['-A -t 10.0.0.1:80 -s rr', '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 3', '-a -t 10.0.0.1:80 -r 10.1.1.3:8080 -m -w 1'];
  const commandsOf = (run: Parameters<typeof taskResult>[0]): string[] =>
    (taskResult(run).commands ?? []).map((command) => (Array.isArray(command) ? command.join(' ') : String(command)));

  it('creates a service with its real servers, and a second run changes nothing', async () => {
    const first = await runPlaybook(vm(), ipvsPlaybook(web()), '--output', 'json');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(taskResult(first).changed).toBe(true);
    expect(await savedTable(vm())).toEqual([...WEB_TABLE].sort());

    const second = await runPlaybook(vm(), ipvsPlaybook(web()), '--output', 'plain');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
    expect(await savedTable(vm())).toEqual([...WEB_TABLE].sort());
  });

  it('a scheduler change edits the service with -E, keeping its real servers and sending the full spec', async () => {
    await loadTable(vm(), ['-A -t 10.0.0.1:80 -s rr -p 600 -M 255.255.255.0', '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -g -w 2']);
    const task = {
      address: '10.0.0.1',
      port: 80,
      scheduler: 'wlc',
      persistence: 600,
      persistence_netmask: '255.255.255.0',
      real_servers: [{ address: '10.1.1.2', weight: 2 }],
    };
    const run = await runPlaybook(vm(), ipvsPlaybook(task), '--output', 'json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(commandsOf(run)).toEqual([expect.stringMatching(/^ipvsadm -E -t 10\.0\.0\.1:80 -s wlc -p 600 -M 255\.255\.255\.0$/)]);
    // -E resets what it is not given: persistence survives only because the full spec was sent.
    expect(await savedTable(vm())).toEqual(['-A -t 10.0.0.1:80 -s wlc -p 600 -M 255.255.255.0', '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -g -w 2']);
  });

  it('a weight change edits the real server with -e and leaves the others alone', async () => {
    await loadTable(vm(), WEB_TABLE);
    const run = await runPlaybook(vm(), ipvsPlaybook(web({}, 5)), '--output', 'json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(commandsOf(run)).toEqual(['ipvsadm -e -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 5']);
    expect(await savedTable(vm())).toEqual(['-A -t 10.0.0.1:80 -s rr', '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 5', '-a -t 10.0.0.1:80 -r 10.1.1.3:8080 -m -w 1']);
  });

  it('purge_real_servers (default true) removes unlisted real servers; false keeps them', async () => {
    const extra = '-a -t 10.0.0.1:80 -r 10.1.1.9:80 -m -w 1';
    await loadTable(vm(), [...WEB_TABLE, extra]);
    const kept = await runPlaybook(vm(), ipvsPlaybook(web({ purge_real_servers: false })), '--output', 'plain');
    expect(kept.code, kept.stdout + kept.stderr).toBe(0);
    expect(recapOf(kept.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
    expect(await savedTable(vm())).toEqual([...WEB_TABLE, extra].sort());

    const purged = await runPlaybook(vm(), ipvsPlaybook(web()), '--output', 'json');
    expect(purged.code, purged.stdout + purged.stderr).toBe(0);
    expect(commandsOf(purged)).toEqual(['ipvsadm -d -t 10.0.0.1:80 -r 10.1.1.9:80']);
    expect(await savedTable(vm())).toEqual([...WEB_TABLE].sort());
  });

  it('weight 0 drains a real server: it stays in the table with weight 0', async () => {
    await loadTable(vm(), WEB_TABLE);
    const run = await runPlaybook(vm(), ipvsPlaybook(web({}, 0)), '--output', 'plain');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await savedTable(vm())).toEqual(['-A -t 10.0.0.1:80 -s rr', '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 0', '-a -t 10.0.0.1:80 -r 10.1.1.3:8080 -m -w 1']);
    expect(await vm().shell.check('ipvsadm -L -n -t 10.0.0.1:80')).toMatch(/-> 10\.1\.1\.2:80\s+Masq\s+0\s/);
  });

  it('state: absent deletes the service and its real servers, and is then a no-op', async () => {
    await loadTable(vm(), [...WEB_TABLE, '-A -t 10.0.0.2:80 -s rr']);
    const absent = ipvsPlaybook({ address: '10.0.0.1', port: 80, state: 'absent' });
    const first = await runPlaybook(vm(), absent, '--output', 'plain');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'director')).toMatchObject({ changed: 1 });
    expect(await savedTable(vm())).toEqual(['-A -t 10.0.0.2:80 -s rr']);
    const second = await runPlaybook(vm(), absent, '--output', 'plain');
    expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
    expect(await savedTable(vm())).toEqual(['-A -t 10.0.0.2:80 -s rr']);
  });

  it('fwmark services, IPv4 and IPv6, are created and then idempotent', async () => {
    const playbook = ipvsPlaybook(
      { fwmark: 1, scheduler: 'wrr', real_servers: [{ address: '10.1.1.10', weight: 4 }, { address: '10.1.1.11', forwarding: 'tunnel' }] },
      { fwmark: 2, ipv6: true, scheduler: 'mh', sched_flags: ['mh-port'], real_servers: [{ address: 'fd00:1::10' }] },
    );
    const first = await runPlaybook(vm(), playbook, '--output', 'plain');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'director')).toMatchObject({ changed: 2 });
    expect(await savedTable(vm())).toEqual(
      [
        '-A -f 1 -s wrr',
        '-a -f 1 -r 10.1.1.10:0 -g -w 4',
        '-a -f 1 -r 10.1.1.11:0 -i -w 1 --tun-type ipip',
        '-A -f 2 -6 -s mh -b mh-port',
        '-a -f 2 -6 -r [fd00:1::10]:0 -g -w 1',
      ].sort(),
    );
    const second = await runPlaybook(vm(), playbook, '--output', 'plain');
    expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
  });

  it('IPv6 services ([addr]:port) with NAT real servers are created and then idempotent', async () => {
    const playbook = ipvsPlaybook({
      address: 'fd00::1',
      port: 80,
      scheduler: 'rr',
      persistence: 120,
      persistence_netmask: 64,
      real_servers: [backend('fd00:1::2', { port: 8080, weight: 2 }), { address: 'fd00:1::3', forwarding: 'dr' }],
    });
    const first = await runPlaybook(vm(), playbook, '--output', 'plain');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await savedTable(vm())).toEqual(
      ['-A -t [fd00::1]:80 -s rr -p 120 -M 64', '-a -t [fd00::1]:80 -r [fd00:1::2]:8080 -m -w 2', '-a -t [fd00::1]:80 -r [fd00:1::3]:80 -g -w 1'].sort(),
    );
    const second = await runPlaybook(vm(), playbook, '--output', 'plain');
    expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
  });

  it('udp with one_packet, sh scheduler flags and thresholds round-trips (thresholds come from -L --thresholds)', async () => {
    const dns = (upper: number) =>
      ipvsPlaybook({
        protocol: 'udp',
        address: '10.0.0.4',
        port: 53,
        scheduler: 'sh',
        sched_flags: ['sh-fallback', 'sh-port'],
        one_packet: true,
        real_servers: [backend('10.1.1.8', { weight: 5, upper_threshold: upper, lower_threshold: 10 })],
      });
    const thresholds = () => vm().shell.check('ipvsadm -L -n --thresholds -u 10.0.0.4:53');
    const first = await runPlaybook(vm(), dns(1000), '--output', 'plain');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await savedTable(vm())).toEqual(['-A -u 10.0.0.4:53 -s sh -o -b sh-fallback,sh-port', '-a -u 10.0.0.4:53 -r 10.1.1.8:53 -m -w 5']);
    expect(await thresholds()).toMatch(/-> 10\.1\.1\.8:53\s+1000\s+10\s/);
    const second = await runPlaybook(vm(), dns(1000), '--output', 'plain');
    expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
    const lowered = await runPlaybook(vm(), dns(500), '--output', 'plain');
    expect(recapOf(lowered.stdout, 'director')).toMatchObject({ changed: 1 });
    expect(await thresholds()).toMatch(/-> 10\.1\.1\.8:53\s+500\s+10\s/);
  });

  it('--check reports the changes and leaves the kernel table exactly as it was', async () => {
    await loadTable(vm(), [...WEB_TABLE, '-a -t 10.0.0.1:80 -r 10.1.1.9:80 -m -w 1', '-A -t 10.0.0.3:80 -s rr']);
    const before = await vm().shell.check('ipvsadm -S -n');
    const changes = [
      ipvsPlaybook(web({ scheduler: 'wlc' }, 7)),
      ipvsPlaybook({ address: '10.0.0.3', port: 80, state: 'absent' }),
      ipvsPlaybook({ address: '10.0.0.4', port: 443, real_servers: [{ address: '10.1.1.5' }] }),
    ];
    for (const playbook of changes) {
      const run = await runPlaybook(vm(), playbook, '--check', '--output', 'plain');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(recapOf(run.stdout, 'director')).toMatchObject({ changed: 1 });
      expect(await vm().shell.check('ipvsadm -S -n')).toBe(before);
    }
  });

  it('--diff shows the service in ipvsadm save format, before and after', async () => {
    await loadTable(vm(), WEB_TABLE);
    const run = await runPlaybook(vm(), ipvsPlaybook(web({ scheduler: 'wlc' }, 4)), '--diff', '--output', 'plain');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    expect(lines).toContain('--A -t 10.0.0.1:80 -s rr');
    expect(lines).toContain('+-A -t 10.0.0.1:80 -s wlc');
    expect(lines).toContain('--a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 3');
    expect(lines).toContain('+-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 4');
    expect(await savedTable(vm())).toContain('-A -t 10.0.0.1:80 -s wlc');
  });

  it('a dr real server on another port is a validation error at its file:line:col; nothing connects', async () => {
    const logins = (): number => (vm().consoleLog().match(/auth succeeded/gi) ?? []).length;
    const before = logins();
    expect(before, 'dropbear logs each login on the console').toBeGreaterThan(0);
    const playbook = ipvsPlaybook({ address: '10.0.0.1', port: 80, real_servers: [{ address: '10.1.1.2', port: 8080, forwarding: 'dr' }] });
    const portLine = playbook.split('\n').findIndex((line) => line.includes('port: 8080')) + 1;
    const run = await runPlaybook(vm(), playbook, '--output', 'plain');
    const output = run.stdout + run.stderr;
    expect(run.code, output).toBe(4);
    expect(output).toMatch(new RegExp(`${run.playbookPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${portLine}:\\d+ E_\\w+ .*8080`));
    expect(output).not.toMatch(/PLAY RECAP/);
    expect(logins()).toBe(before);
    expect(await savedTable(vm())).toEqual([]);
  });
});
