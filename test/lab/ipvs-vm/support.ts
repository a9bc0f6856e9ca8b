import { existsSync } from 'node:fs';

const NEEDED: Record<string, string> = {
  '/usr/bin/qemu-system-x86_64': 'qemu-system-x86',
  '/bin/busybox': 'busybox-static',
  '/usr/sbin/ipvsadm': 'ipvsadm',
  '/usr/sbin/dropbear': 'dropbear-bin',
  '/usr/bin/dropbearkey': 'dropbear-bin',
  '/usr/bin/cpio': 'cpio',
  '/usr/sbin/depmod': 'kmod',
  '/usr/bin/apt-get': 'apt',
  '/usr/bin/dpkg': 'dpkg',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/bin/setpriv': 'util-linux',
};

/** Why the ipvs VM cannot be built or booted here, or undefined when it can; skipped tests print this. */
export function ipvsVmUnsupportedReason(): string | undefined {
  const missing = Object.entries(NEEDED).filter(([path]) => !existsSync(path));
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  return `the ipvs QEMU lab needs ${missing.map(([path]) => path).join(', ')} (apt-get install ${packages})`;
}
