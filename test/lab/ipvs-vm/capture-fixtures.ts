/**
 * Captures real `ipvsadm` output from the lab VM into test/modules/ipvs_service/fixtures/, for the module's
 * parser tests. Run by hand (it is not part of `npm test`):
 *
 *   npx vitest run -c test/lab/ipvs-vm/vitest.capture.config.ts
 *
 * Each scenario is built with real ipvsadm commands in the VM; the commands are saved beside the outputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'vitest';
import { kubeProxyStyleRules, MIXED_RULES } from './capture-scenarios.js';
import { startIpvsVm } from './vm.js';
import type { VmShell } from './vm-shell.js';

const FIXTURES = fileURLToPath(new URL('../../modules/ipvs_service/fixtures/', import.meta.url));

interface CapturedCommand {
  readonly name: string;
  readonly why: string;
  readonly command: string;
  readonly stdin?: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** `ipvsadm -S -n` right after, when the command's effect (or lack of one) matters. */
  readonly saveAfter?: string;
}

test('capture ipvsadm fixtures from the lab VM', async () => {
  mkdirSync(FIXTURES, { recursive: true });
  const vm = await startIpvsVm();
  try {
    const { shell } = vm;
    const errors: CapturedCommand[] = [];
    const record = async (name: string, why: string, command: string, options: { stdin?: string; saveAfter?: boolean } = {}): Promise<void> => {
      const result = await shell.run(command, options.stdin);
      const saveAfter = options.saveAfter === true ? (await shell.run('ipvsadm -S -n')).stdout : undefined;
      errors.push({ name, why, command, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}), exitCode: result.code, stdout: result.stdout, stderr: result.stderr, ...(saveAfter !== undefined ? { saveAfter } : {}) });
    };

    // A kernel whose ip_vs cannot be loaded (as on this controller): ipvsadm's own `modprobe ip_vs` must
    // fail too, so the module files are hidden for these commands and put back afterwards.
    const ipvsDir = '/lib/modules/$(uname -r)/kernel/net/netfilter/ipvs';
    await shell.check(`mv ${ipvsDir} ${ipvsDir}.hidden`);
    await record('not_loaded_save', 'ip_vs not loaded and not loadable', 'ipvsadm -S -n');
    await record('not_loaded_list', 'ip_vs not loaded and not loadable', 'ipvsadm -L -n');
    await record('not_loaded_add', 'ip_vs not loaded and not loadable', 'ipvsadm -A -t 10.0.0.1:80 -s rr');
    await record('modprobe_missing_module', "what `modprobe ip_vs` says when the module is missing (busybox modprobe in the VM)", 'modprobe ip_vs');
    await shell.check(`mv ${ipvsDir}.hidden ${ipvsDir}`);
    await record(
      'autoload_by_ipvsadm',
      'ip_vs not loaded but loadable: ipvsadm runs /sbin/modprobe ip_vs itself and succeeds (stdout ends with the module count)',
      'ipvsadm -S -n && grep -c "^ip_vs " /proc/modules',
    );
    await record('modprobe_ok', 'modprobe ip_vs once the module is there', 'modprobe ip_vs');
    await record('proc_net_ip_vs', '/proc/net/ip_vs exists once ip_vs is loaded', 'cat /proc/net/ip_vs');

    await saveScenario(shell, 'empty', []);
    await saveScenario(shell, 'mixed', MIXED_RULES);
    await shell.check('ip addr add 10.244.255.254/16 dev rs0');
    await saveScenario(shell, 'kube-proxy-300', kubeProxyStyleRules(300));

    await shell.check('ipvsadm -C');
    await shell.check('ipvsadm -A -t 10.0.0.1:80 -s rr && ipvsadm -a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 3');
    await record('service_exists', 'adding a service twice', 'ipvsadm -A -t 10.0.0.1:80 -s rr');
    await record('destination_exists', 'adding a real server twice', 'ipvsadm -a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 3');
    await record('edit_missing_service', '-E on a service that does not exist', 'ipvsadm -E -t 10.0.0.99:80 -s wlc');
    await record('delete_missing_service', '-D on a service that does not exist', 'ipvsadm -D -t 10.0.0.99:80');
    await record('add_destination_missing_service', '-a to a service that does not exist', 'ipvsadm -a -t 10.0.0.99:80 -r 10.1.1.2:80 -m');
    await record('edit_missing_destination', '-e on a real server that does not exist', 'ipvsadm -e -t 10.0.0.1:80 -r 10.1.1.9:80 -m -w 2');
    await record('delete_missing_destination', '-d on a real server that does not exist', 'ipvsadm -d -t 10.0.0.1:80 -r 10.1.1.9:80');
    await record('nat_with_default_route', 'a NAT real server outside the dummy subnet: the default route is enough', 'ipvsadm -a -t 10.0.0.1:80 -r 192.0.2.10:80 -m', { saveAfter: true });
    // SSH still answers without a default route: slirp's 10.0.2.2 is on eth0's own subnet.
    await shell.check('ip route del default');
    await record('nat_without_route', 'a NAT real server with no route to it (default route removed)', 'ipvsadm -a -t 10.0.0.1:80 -r 192.0.3.10:80 -m');
    await shell.check('ipvsadm -A -t [fd00::1]:80 -s rr && ip -6 route show default && ip -6 route flush default');
    await record('nat_without_route_v6', 'an IPv6 NAT real server with no route to it (default route removed)', 'ipvsadm -a -t [fd00::1]:80 -r [2001:db8::10]:80 -m', { saveAfter: true });
    await shell.check('ip route add default via 10.0.2.2');
    await record('nat_broadcast_address', "a real server on the dummy subnet's broadcast address: the kernel refuses non-unicast", 'ipvsadm -a -t 10.0.0.1:80 -r 10.1.1.255:80 -m');
    await record('multicast_real_server', 'a multicast real server address', 'ipvsadm -a -t 10.0.0.1:80 -r 224.0.0.1:80 -m');
    await record('unknown_scheduler', 'a scheduler name the kernel does not know', 'ipvsadm -A -t 10.0.0.2:80 -s nosuch');
    await record('edit_unknown_scheduler', '-E to a scheduler name the kernel does not know', 'ipvsadm -E -t 10.0.0.1:80 -s nosuch');
    await record('one_packet_tcp', 'one-packet scheduling on a tcp service', 'ipvsadm -A -t 10.0.0.3:80 -s rr -o', { saveAfter: true });
    await record('port0_without_persistence', 'port 0 without persistence', 'ipvsadm -A -t 10.0.0.4:0 -s rr');
    await record('bad_address', 'an invalid IPv4 address', 'ipvsadm -A -t 300.1.1.1:80 -s rr');
    await record('bad_sched_flag', 'an unknown scheduler flag', 'ipvsadm -A -t 10.0.0.5:80 -s sh -b nosuch');
    await record('weight_above_65535', 'a weight above 65535: accepted by ipvsadm and the kernel',  'ipvsadm -e -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 70000', { saveAfter: true });
    await record('negative_weight', 'a negative weight', 'ipvsadm -e -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w -1');
    await shell.check('ipvsadm -A -t 10.0.0.6:80 -s rr');
    await record('dr_port_forced', 'dr real server with a port different from the service: ipvsadm forces the service port', 'ipvsadm -a -t 10.0.0.6:80 -r 10.1.1.3:8080 -g', { saveAfter: true });
    await record('tunnel_port_forced', 'tunnel real server with a different port: also forced', 'ipvsadm -a -t 10.0.0.6:80 -r 10.1.1.4:8080 -i', { saveAfter: true });
    await record('edit_resets_unspecified', '-E without -p on a persistent service drops persistence (so -E must carry the full spec)', 'ipvsadm -A -t 10.0.0.7:80 -s rr -p 600 && ipvsadm -E -t 10.0.0.7:80 -s wlc', { saveAfter: true });
    await shell.check('ipvsadm -C');
    await record(
      'restore_failing_line',
      'ipvsadm -R with the second of three lines failing: what runs, what it prints',
      'ipvsadm -R',
      { stdin: '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.99:80 -r 10.1.1.2:80 -m\n-A -t 10.0.0.2:80 -s rr\n', saveAfter: true },
    );
    await shell.check('ipvsadm -C');
    await record('restore_ok', 'ipvsadm -R with valid lines', 'ipvsadm -R', { stdin: '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 2\n', saveAfter: true });
    await shell.check('ipvsadm -C');

    writeFileSync(`${FIXTURES}errors.json`, `${JSON.stringify({ kernel: (await shell.check('uname -r')).trim(), ipvsadm: (await shell.check('ipvsadm --version')).trim(), commands: errors }, null, 2)}\n`);
  } finally {
    await vm.stop();
  }
});

/** Loads `rules` (ipvsadm argument lines) one by one into an empty table, then saves every view of it. */
async function saveScenario(shell: VmShell, name: string, rules: readonly string[]): Promise<void> {
  await shell.check('ipvsadm -C');
  if (rules.length > 0) await shell.check('ipvsadm -R', `${rules.join('\n')}\n`);
  writeFileSync(`${FIXTURES}${name}.rules.txt`, rules.length > 0 ? `${rules.join('\n')}\n` : '');
  const views: Record<string, string> = {
    save: 'ipvsadm -S -n',
    list: 'ipvsadm -L -n',
    'list-persistent': 'ipvsadm -L -n --persistent-conn',
    'list-thresholds': 'ipvsadm -L -n --thresholds',
    'list-exact': 'ipvsadm -L -n --exact',
  };
  for (const [view, command] of Object.entries(views)) {
    writeFileSync(`${FIXTURES}${name}.${view}.txt`, await shell.check(command));
  }
}
