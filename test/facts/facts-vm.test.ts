import { expect, it } from 'vitest';
import { parseFacts } from '../../src/facts/parse.js';
import { factScript } from '../../src/facts/script.js';
import { describeIpvs, runPlaybook, useIpvsVm } from '../ipvs/ipvs-vm-fixture.js';

/**
 * A target that is nothing like the controller: Debian's kernel under QEMU with a busybox initramfs (busybox sh,
 * busybox ip without -j, no os-release, no systemd), reached over SSH. Shares the ipvs lab's VM image.
 */
describeIpvs('gathered facts on a busybox guest (QEMU)', () => {
  const vm = useIpvsVm();

  it('gathers in one command over SSH; the values match what the guest says when asked directly', async () => {
    const run = await runPlaybook(vm(), '- hosts: directors\n  tasks:\n    - debug: { msg: "{{ansible_hostname}} {{ansible_os_family}} {{ansible_default_ipv4.address}}" }\n', '--output', 'json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const events = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const gathered = events.find((event) => event.type === 'host_result' && (event.task as { name: string }).name === 'Gathering Facts')!.result as { facts: Record<string, unknown> };
    const recap = events.find((event) => event.type === 'recap') as { commandCount: number };
    // The fact script and the debug task (which runs nothing on the host).
    expect(recap.commandCount).toBe(1);

    const direct = async (command: string) => (await vm().shell.check(command)).trim();
    const facts = gathered.facts as { kernel: string; arch: string; hostname: string; cpu_count: number; interfaces_source: string; interfaces: { name: string; ipv4: { address: string }[] }[]; default_ipv4: Record<string, unknown>; os: Record<string, string> };
    expect(facts.kernel).toBe(await direct('uname -r'));
    expect(facts.arch).toBe(await direct('uname -m'));
    expect(facts.hostname).toBe((await direct('uname -n')).split('.')[0]);
    expect(facts.cpu_count).toBe(Number(await direct('grep -c ^processor /proc/cpuinfo')));
    expect(['ip-json', 'ip-text']).toContain(facts.interfaces_source);
    const hasOsRelease = (await vm().shell.run('test -e /etc/os-release || test -e /usr/lib/os-release')).code === 0;
    if (!hasOsRelease) expect(facts.os).toMatchObject({ id: 'linux', family: 'Linux' });
    const loopback = facts.interfaces.find((entry) => entry.name === 'lo');
    expect(loopback?.ipv4.map((entry) => entry.address)).toContain('127.0.0.1');

    // The same script through the guest's shell directly, parsed by the same pure function.
    const raw = await vm().shell.run(factScript('MARK'));
    expect(parseFacts(raw.stdout, 'MARK')).toMatchObject({ kernel: facts.kernel, interfaces_source: facts.interfaces_source, default_ipv4: facts.default_ipv4 });
  });
});
