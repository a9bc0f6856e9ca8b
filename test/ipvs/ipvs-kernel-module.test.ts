import { expect, it } from 'vitest';
import { recapOf } from '../helpers/cli.js';
import { describeIpvs, ipvsPlaybook, runPlaybook, savedTable, useIpvsVm } from './ipvs-vm-fixture.js';

/**
 * Hosts where IPVS is not loaded, on a freshly booted guest (ip_vs is never loaded at boot). ipvsadm loads
 * ip_vs by itself when it can (it runs /sbin/modprobe), so each test first takes that way out, then puts
 * the guest back in `finally`.
 */
describeIpvs('ipvs_service on a kernel without IPVS loaded (QEMU)', () => {
  const vm = useIpvsVm();
  const ipvsLoaded = async (): Promise<string[]> =>
    (await vm().shell.check('cat /proc/modules')).split('\n').map((line) => line.split(' ')[0]!).filter((name) => name.startsWith('ip_vs'));
  const WEB = { address: '10.0.0.1', port: 80, scheduler: 'wrr', real_servers: [{ address: '10.1.1.2', forwarding: 'nat', weight: 2 }] };

  it('a kernel that cannot load ip_vs fails the task with a message naming modprobe ip_vs, changing nothing', async () => {
    // As on a kernel built without IPVS: the module files are gone, so no modprobe can load them.
    const ipvsDir = '/lib/modules/$(uname -r)/kernel/net/netfilter/ipvs';
    await vm().shell.check(`mv ${ipvsDir} ${ipvsDir}.hidden`);
    try {
      expect(await ipvsLoaded()).toEqual([]);
      const run = await runPlaybook(vm(), ipvsPlaybook(WEB), '--output', 'plain');
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(recapOf(run.stdout, 'director')).toMatchObject({ failed: 1, changed: 0 });
      expect(run.stdout + run.stderr).toMatch(/modprobe ip_vs/);
      expect(run.stdout + run.stderr).toMatch(/Protocol not available/);
      expect(await ipvsLoaded()).toEqual([]);
    } finally {
      await vm().shell.check(`mv ${ipvsDir}.hidden ${ipvsDir}`);
    }
  });

  it('load_module: true runs modprobe for ip_vs and the scheduler, then creates the service', async () => {
    // ipvsadm (and the kernel's own module autoloading) call /sbin/modprobe by that path; the task's
    // `modprobe` is found on PATH, where dropbear puts /usr/sbin before /sbin. Moving it there leaves
    // loading to the task alone, so the test can tell that load_module did it.
    await vm().shell.check('mv /sbin/modprobe /usr/sbin/modprobe && echo "$PATH" | grep -q "/usr/sbin.*/sbin"');
    try {
      expect(await ipvsLoaded()).toEqual([]);
      const without = await runPlaybook(vm(), ipvsPlaybook(WEB), '--output', 'plain');
      expect(without.code, without.stdout + without.stderr).toBe(2);
      expect(without.stdout + without.stderr).toMatch(/modprobe ip_vs/);
      expect(await ipvsLoaded()).toEqual([]);

      const loading = ipvsPlaybook({ ...WEB, load_module: true });
      const first = await runPlaybook(vm(), loading, '--output', 'plain');
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(recapOf(first.stdout, 'director')).toMatchObject({ changed: 1, failed: 0 });
      expect((await ipvsLoaded()).sort()).toEqual(['ip_vs', 'ip_vs_wrr']);
      expect(await savedTable(vm())).toEqual(['-A -t 10.0.0.1:80 -s wrr', '-a -t 10.0.0.1:80 -r 10.1.1.2:80 -m -w 2']);

      const second = await runPlaybook(vm(), loading, '--output', 'plain');
      expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
    } finally {
      await vm().shell.check('mv /usr/sbin/modprobe /sbin/modprobe');
    }
  });
});
