import type { Virtualization } from './types.js';

/** DMI product or vendor names that mean a virtual machine, and the type Ansible/systemd call it. */
const DMI_VM: readonly (readonly [RegExp, string])[] = [
  [/^KVM$|^OpenStack|^Google Compute Engine/i, 'kvm'],
  [/QEMU|^Standard PC \(/i, 'qemu'],
  [/VMware/i, 'vmware'],
  [/VirtualBox|^innotek/i, 'oracle'],
  [/HVM domU|^Xen/i, 'xen'],
  [/^Virtual Machine$|^Microsoft Corporation$/i, 'microsoft'],
  [/^Amazon EC2$/i, 'amazon'],
  [/^Parallels/i, 'parallels'],
  [/^BHYVE/i, 'bhyve'],
];

/**
 * The script's `virt` lines, most specific first: systemd-detect-virt, PID 1's `container=`, the marker files
 * of docker and podman, then DMI names and the CPU's hypervisor flag. A container wins over the VM it runs in,
 * as systemd-detect-virt decides.
 */
export function parseVirtualization(text: string): Virtualization {
  const lines = text.split('\n').map((line) => line.trim());
  const value = (prefix: string) => lines.find((line) => line.startsWith(prefix))?.slice(prefix.length).trim();
  const detectedContainer = value('sdv-container ');
  if (detectedContainer !== undefined && detectedContainer !== '' && detectedContainer !== 'none') return { kind: 'container', type: detectedContainer };
  const environ = value('container=');
  if (environ !== undefined && environ !== '') return { kind: 'container', type: environ === 'oci' ? 'podman' : environ };
  if (lines.includes('containerenv')) return { kind: 'container', type: 'podman' };
  if (lines.includes('dockerenv')) return { kind: 'container', type: 'docker' };
  const detectedVm = value('sdv-vm ');
  if (detectedVm !== undefined && detectedVm !== '' && detectedVm !== 'none') return { kind: 'vm', type: detectedVm };
  for (const dmi of [value('dmi-product_name '), value('dmi-sys_vendor ')]) {
    if (dmi === undefined) continue;
    const match = DMI_VM.find(([pattern]) => pattern.test(dmi));
    if (match !== undefined) return { kind: 'vm', type: match[1] };
  }
  if (lines.includes('hypervisor-flag')) return { kind: 'vm', type: 'unknown' };
  return { kind: 'none', type: 'none' };
}
