import { expect, it } from 'vitest';
import { startIpvsVm } from '../lab/ipvs-vm/vm.js';
import { describeIpvs, qemuDescendants } from './ipvs-vm-fixture.js';

/** The lab itself: a boot that fails must say why and leave no qemu behind. */
describeIpvs('the ipvs QEMU lab', () => {
  it('a VM whose SSH does not answer in time fails with its serial console, and its qemu is killed', async () => {
    const before = qemuDescendants();
    const error = await startIpvsVm({ bootTimeoutMs: 1_500 }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).toMatch(/the ipvs VM did not come up: SSH did not answer within the boot timeout/);
    expect(error?.message).toContain('--- serial console (last lines) ---');
    expect(qemuDescendants()).toEqual(before);
  });
});
