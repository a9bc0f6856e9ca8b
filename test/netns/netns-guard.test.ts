import { describe, expect, it } from 'vitest';
import { assertRoutedViaBridge, hostAddress, pickFreeSubnet } from '../lab/netns-subnet.js';

// Reads the routing table only (`ip route get` sends nothing), so it runs without root.
describe('netns lab address guard', () => {
  it('refuses a lab address that would route anywhere but directly via the lab bridge', async () => {
    const subnet = await pickFreeSubnet();
    expect(subnet.base).toMatch(/^10\.213\.\d+$/);
    // No bridge holds this /24 yet: the address resolves through the host's default route (or nowhere).
    await expect(assertRoutedViaBridge(subnet, 'rpbr-none', [hostAddress(subnet, 0)])).rejects.toThrow(/refusing to run/);
  });
});
