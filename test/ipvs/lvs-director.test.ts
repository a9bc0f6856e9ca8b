import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { recapOf } from '../helpers/cli.js';
import { describeIpvs, runPlaybook, savedTable, useIpvsVm } from './ipvs-vm-fixture.js';

const PLAYBOOK = fileURLToPath(new URL('../../playbooks/lvs-director.yml', import.meta.url));
// The playbook is copied next to the lab's inventory; its role stays where the repository keeps it.
const ROLES = fileURLToPath(new URL('../../playbooks/roles', import.meta.url));

/** playbooks/lvs-director.yml, unchanged, against the guest kernel: it converges, then changes nothing. */
describeIpvs('playbooks/lvs-director.yml on a real kernel (QEMU)', () => {
  const vm = useIpvsVm();

  it('sets up forwarding and the NAT virtual service, and a second run is changed=0', async () => {
    const playbook = await readFile(PLAYBOOK, 'utf8');
    expect((await vm().shell.check('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('0');

    const first = await runPlaybook(vm(), playbook, '--roles-path', ROLES, '--output', 'plain');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recapOf(first.stdout, 'director')).toMatchObject({ changed: 3, failed: 0 });
    expect((await vm().shell.check('cat /proc/sys/net/ipv4/ip_forward')).trim()).toBe('1');
    expect(await vm().shell.check('cat /etc/sysctl.d/90-lvs-director.conf')).toBe('net.ipv4.ip_forward = 1\n');
    expect(await savedTable(vm())).toEqual(
      ['-A -t 192.0.2.80:80 -s rr', '-a -t 192.0.2.80:80 -r 10.20.0.11:80 -m -w 1', '-a -t 192.0.2.80:80 -r 10.20.0.12:80 -m -w 1'].sort(),
    );

    const second = await runPlaybook(vm(), playbook, '--roles-path', ROLES, '--output', 'plain');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(recapOf(second.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });

    // --check on a converged director reports nothing to do either.
    const check = await runPlaybook(vm(), playbook, '--roles-path', ROLES, '--check', '--output', 'plain');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recapOf(check.stdout, 'director')).toMatchObject({ changed: 0, failed: 0 });
  });
});
