/** Subnets on the VM's dummy interface: NAT real servers need a route to their address, or the kernel refuses them. */
export const REAL_SERVER_NET_V4 = { gateway: '10.1.1.254', prefix: 24, example: '10.1.1.2' } as const;
export const REAL_SERVER_NET_V6 = { gateway: 'fd00:1::fe', prefix: 64, example: 'fd00:1::2' } as const;

/** rcS prints this on the serial console once the network is up; init starts dropbear right after. */
export const GUEST_READY_MARKER = 'rackplay-ipvs-vm: network up';

/** Where the per-boot host key sits inside the VM. */
export const GUEST_HOST_KEY = '/etc/dropbear/dropbear_ed25519_host_key';

/**
 * Files of the guest's root, by path. busybox init reaps orphans and respawns dropbear; rcS brings the network
 * up the way slirp expects (10.0.2.15, gateway 10.0.2.2). ip_vs stays unloaded: tests load it themselves,
 * so that one test can see a host without it.
 */
export function guestFiles(): Record<string, { content: string; mode: number }> {
  const rcS = [
    '#!/bin/sh',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs devtmpfs /dev',
    'mkdir -p /dev/pts /tmp /run /var/run /var/log',
    'mount -t devpts devpts /dev/pts',
    'mount -t tmpfs tmpfs /tmp',
    'hostname ipvs-vm',
    // libcrc32c (pulled in by ip_vs through nf_conntrack) finds crc32c only if an implementation is loaded.
    'modprobe crc32c_generic',
    'modprobe e1000',
    'ip link set lo up',
    'ip link set eth0 up',
    'ip addr add 10.0.2.15/24 dev eth0',
    'ip route add default via 10.0.2.2',
    // Slirp learns the guest's MAC address only from a packet the guest sends; until then it drops the first
    // SYN of a forwarded connection and retries seconds later. One ping teaches it.
    'ping -c 1 -W 2 10.0.2.2 >/dev/null 2>&1',
    // No duplicate address detection: the v6 address is usable at once, not "tentative" for a second.
    'sysctl -q -w net.ipv6.conf.default.accept_dad=0',
    'modprobe dummy',
    'ip link add rs0 type dummy',
    'sysctl -q -w net.ipv6.conf.rs0.accept_dad=0',
    `ip addr add ${REAL_SERVER_NET_V4.gateway}/${REAL_SERVER_NET_V4.prefix} dev rs0`,
    `ip -6 addr add ${REAL_SERVER_NET_V6.gateway}/${REAL_SERVER_NET_V6.prefix} dev rs0`,
    'ip link set rs0 up',
    `echo "${GUEST_READY_MARKER} after $(cut -d" " -f1 /proc/uptime) s"`,
    '',
  ].join('\n');
  const inittab = [
    '::sysinit:/etc/init.d/rcS',
    // -F foreground (init supervises it), -E log to the console, -s keys only.
    `::respawn:/usr/sbin/dropbear -F -E -s -p 22 -P /run/dropbear.pid -r ${GUEST_HOST_KEY}`,
    '',
  ].join('\n');
  return {
    'etc/init.d/rcS': { content: rcS, mode: 0o755 },
    'etc/inittab': { content: inittab, mode: 0o644 },
    'etc/passwd': { content: 'root:x:0:0:root:/root:/bin/sh\n', mode: 0o644 },
    'etc/group': { content: 'root:x:0:\n', mode: 0o644 },
    'etc/shells': { content: '/bin/sh\n', mode: 0o644 },
    'etc/hosts': { content: '127.0.0.1 localhost ipvs-vm\n', mode: 0o644 },
  };
}
