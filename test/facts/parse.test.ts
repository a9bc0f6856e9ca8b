import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactOutputError, parseFacts } from '../../src/facts/parse.js';
import { osFacts, parseOsRelease } from '../../src/facts/os-release.js';
import { parseIpTextAddr, parseIpTextRoute } from '../../src/facts/network.js';
import { parseVirtualization } from '../../src/facts/virtualization.js';

// Captured by running the fact script (marker MARK) on this Debian 12 machine, a docker container in a KVM guest:
// with dash and iproute2; with busybox sh and its applets (busybox ip has no -j); and with dash on a PATH without ip.
// And in the ipvs lab's QEMU guest: Debian's kernel, a busybox initramfs, no os-release (test/facts/facts-vm.test.ts);
// and through lxc-attach in an LXC 5 busybox-template container with `lxc.net.0.type = empty`.
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const ETH0 = { name: 'eth0', mac: '02:fc:00:00:00:01', ipv4: [{ address: '192.0.2.2', prefix: 24 }] };
const DEFAULT_IPV4 = { address: '192.0.2.2', prefix: 24, netmask: '255.255.255.0', network: '192.0.2.0', gateway: '192.0.2.1', interface: 'eth0', macaddress: '02:fc:00:00:00:01' };

describe('parseFacts on captured outputs', () => {
  it('dash + iproute2 (ip -j)', () => {
    const facts = parseFacts(fixture('debian12-dash-ip-json.txt'), 'MARK');
    expect(facts).toMatchObject({
      hostname: 'vm',
      fqdn: 'vm',
      system: 'Linux',
      os: { id: 'debian', name: 'Debian GNU/Linux', version_id: '12', family: 'Debian', distribution: 'Debian' },
      kernel: '6.18.44-fc-v769',
      arch: 'x86_64',
      cpu_count: 2,
      mem_mb: Math.floor(24683656 / 1024),
      interfaces_source: 'ip-json',
      default_ipv4: DEFAULT_IPV4,
      has_systemd: false,
      virtualization: { kind: 'container', type: 'docker' },
    });
    expect(facts.interfaces.map((entry) => entry.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(facts.interfaces.find((entry) => entry.name === 'eth0')).toMatchObject({ ...ETH0, ipv6: [{ address: 'fd00::2', prefix: 64 }, { address: 'fe80::fc:ff:fe00:1', prefix: 64 }] });
    expect(facts.interfaces[0]).toMatchObject({ name: 'lo', ipv4: [{ address: '127.0.0.1', prefix: 8 }], ipv6: [{ address: '::1', prefix: 128 }] });
  });

  it('busybox sh + busybox ip (text output, default selector ignored)', () => {
    const facts = parseFacts(fixture('debian12-busybox-ip-text.txt'), 'MARK');
    expect(facts.interfaces_source).toBe('ip-text');
    expect(facts.default_ipv4).toEqual(DEFAULT_IPV4);
    expect(facts.interfaces.map((entry) => entry.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(facts.interfaces.find((entry) => entry.name === 'eth0')).toMatchObject({ ...ETH0, ipv6: [{ address: 'fd00::2', prefix: 64 }, { address: 'fe80::fc:ff:fe00:1', prefix: 64 }] });
    // No systemd-detect-virt among busybox's applets: the docker marker file decides.
    expect(facts.virtualization).toEqual({ kind: 'container', type: 'docker' });
    expect(facts.os.family).toBe('Debian');
  });

  it('no ip on the PATH: interfaces from /sys/class/net, addresses unknown, no default_ipv4', () => {
    const facts = parseFacts(fixture('debian12-dash-no-ip.txt'), 'MARK');
    expect(facts.interfaces_source).toBe('sysfs');
    expect(facts.default_ipv4).toEqual({});
    expect(facts.interfaces).toContainEqual({ name: 'eth0', mac: '02:fc:00:00:00:01', ipv4: [], ipv6: [] });
    expect(facts.interfaces).toContainEqual({ name: 'lo', mac: '00:00:00:00:00:00', ipv4: [], ipv6: [] });
    expect(facts.hostname).toBe('vm');
  });

  it('busybox initramfs in a QEMU guest: no os-release, DMI says QEMU, hostname -f says localhost', () => {
    const facts = parseFacts(fixture('qemu-busybox-initramfs.txt'), 'MARK');
    expect(facts).toMatchObject({
      hostname: 'ipvs-vm',
      fqdn: 'ipvs-vm',
      os: { id: 'linux', name: 'Linux', version_id: '', family: 'Linux', distribution: 'Linux' },
      kernel: '6.1.0-56-amd64',
      cpu_count: 1,
      mem_mb: Math.floor(466396 / 1024),
      interfaces_source: 'ip-text',
      default_ipv4: { address: '10.0.2.15', prefix: 24, netmask: '255.255.255.0', network: '10.0.2.0', gateway: '10.0.2.2', interface: 'eth0', macaddress: '52:54:00:12:34:56' },
      has_systemd: false,
      virtualization: { kind: 'vm', type: 'qemu' },
    });
    expect(facts.interfaces.map((entry) => entry.name)).toEqual(['lo', 'eth0', 'dummy0', 'rs0']);
    expect(facts.interfaces.find((entry) => entry.name === 'rs0')).toEqual({
      name: 'rs0',
      mac: '2a:0d:e3:2f:30:b0',
      ipv4: [{ address: '10.1.1.254', prefix: 24 }],
      ipv6: [{ address: 'fd00:1::fe', prefix: 64 }, { address: 'fe80::280d:e3ff:fe2f:30b0', prefix: 64 }],
    });
  });

  it('LXC busybox container: container=lxc from PID 1, only lo (down), no default route, no FQDN', () => {
    const facts = parseFacts(fixture('lxc-busybox-container.txt'), 'MARK');
    expect(facts).toMatchObject({ hostname: 'rpfacts17807', fqdn: 'rpfacts17807', interfaces_source: 'ip-text', default_ipv4: {}, virtualization: { kind: 'container', type: 'lxc' } });
    expect(facts.interfaces).toEqual([{ name: 'lo', mac: '00:00:00:00:00:00', ipv4: [], ipv6: [] }]);
  });

  it('refuses an output cut short, and one from another run (other marker)', () => {
    const full = fixture('debian12-dash-ip-json.txt');
    expect(() => parseFacts(full.slice(0, full.indexOf('MARK sysfs-net')), 'MARK')).toThrow(FactOutputError);
    expect(() => parseFacts(full, 'rackplay-facts-0123')).toThrow(/no section found/);
  });

  it('a file line that looks like a header of another marker is content, not a section', () => {
    const forged = fixture('debian12-dash-ip-json.txt').replace('ID=debian\n', 'ID=debian\nOTHER kernel\n9.9.9-forged\n');
    const facts = parseFacts(forged, 'MARK');
    expect(facts.kernel).toBe('6.18.44-fc-v769');
    expect(facts.os.id).toBe('debian');
  });
});

describe('os-release', () => {
  it('undoes quoting and maps families by ID, then ID_LIKE', () => {
    const neon = parseOsRelease('NAME="KDE neon"\nID=neon\nID_LIKE="ubuntu debian"\nVERSION_ID=\'22.04\'\nPRETTY_NAME="a \\"quoted\\" name"\n');
    expect(neon.PRETTY_NAME).toBe('a "quoted" name');
    expect(osFacts(neon)).toEqual({ id: 'neon', name: 'KDE neon', version_id: '22.04', family: 'Debian', distribution: 'KDE neon' });
    expect(osFacts(parseOsRelease('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n'))).toMatchObject({ family: 'RedHat', distribution: 'Rocky', version_id: '9.3' });
    expect(osFacts(parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n'))).toMatchObject({ family: 'Alpine', distribution: 'Alpine' });
    expect(osFacts(parseOsRelease('NAME="openSUSE Leap"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\n'))).toMatchObject({ family: 'Suse' });
    expect(osFacts(parseOsRelease('NAME="Arch Linux"\nID=arch\n'))).toMatchObject({ family: 'Archlinux', version_id: '' });
  });

  it('without the file: the defaults os-release documents', () => {
    expect(osFacts(parseOsRelease(''))).toEqual({ id: 'linux', name: 'Linux', version_id: '', family: 'Linux', distribution: 'Linux' });
  });
});

describe('network text and virtualization', () => {
  it('reads veth@peer names and the default route among other routes', () => {
    const text = '7: veth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n    link/ether 0A:58:0a:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n    inet 10.0.0.1/30 scope global veth0\n';
    expect(parseIpTextAddr(text)).toEqual([{ name: 'veth0', mac: '0a:58:0a:00:00:01', ipv4: [{ address: '10.0.0.1', prefix: 30 }], ipv6: [] }]);
    expect(parseIpTextRoute('10.0.0.0/30 dev veth0 scope link\ndefault via 10.0.0.2 dev veth0 src 10.0.0.1 metric 100\n')).toEqual({ gateway: '10.0.0.2', dev: 'veth0', prefsrc: '10.0.0.1' });
    expect(parseIpTextRoute('10.0.0.0/30 dev veth0 scope link\n')).toBeUndefined();
  });

  it('tells containers from VMs, container first', () => {
    expect(parseVirtualization('container=lxc\nhypervisor-flag')).toEqual({ kind: 'container', type: 'lxc' });
    expect(parseVirtualization('sdv-container none\nsdv-vm kvm')).toEqual({ kind: 'vm', type: 'kvm' });
    expect(parseVirtualization('dmi-product_name Standard PC (Q35 + ICH9, 2009)\ndmi-sys_vendor QEMU')).toEqual({ kind: 'vm', type: 'qemu' });
    expect(parseVirtualization('dmi-product_name VMware Virtual Platform')).toEqual({ kind: 'vm', type: 'vmware' });
    expect(parseVirtualization('hypervisor-flag')).toEqual({ kind: 'vm', type: 'unknown' });
    expect(parseVirtualization('dmi-product_name PowerEdge R640\ndmi-sys_vendor Dell Inc.')).toEqual({ kind: 'none', type: 'none' });
  });
});
