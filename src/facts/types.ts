/** One address of an interface, as `ip` reports it. */
export interface InterfaceAddress {
  readonly address: string;
  readonly prefix: number;
}

export interface NetworkInterface {
  readonly name: string;
  /** Lower-case colon form; '' when the interface has none (tunnels). */
  readonly mac: string;
  readonly ipv4: readonly InterfaceAddress[];
  readonly ipv6: readonly InterfaceAddress[];
}

/** Ansible's ansible_default_ipv4 keys that can be known without sending traffic; {} when there is no default route. */
export interface DefaultIpv4 {
  readonly address?: string;
  readonly prefix?: number;
  readonly netmask?: string;
  readonly network?: string;
  readonly gateway?: string;
  readonly interface?: string;
  readonly macaddress?: string;
}

/**
 * Where the interface list came from. 'sysfs' means `ip` was missing or unusable: names and MACs only,
 * and the address lists are empty because they are unknown, not because the interfaces have none.
 */
export type InterfacesSource = 'ip-json' | 'ip-text' | 'sysfs' | 'none';

export interface Virtualization {
  /** 'none' when nothing was detected. */
  readonly kind: 'container' | 'vm' | 'none';
  /** docker, podman, lxc, kvm, qemu, vmware, … ; 'none', or 'unknown' when only a hypervisor flag says vm. */
  readonly type: string;
}

/** The fact set, exposed to templates as `facts.*`. */
export interface Facts {
  readonly hostname: string;
  readonly fqdn: string;
  readonly system: string;
  readonly os: { readonly id: string; readonly name: string; readonly version_id: string; readonly family: string; readonly distribution: string };
  readonly kernel: string;
  readonly arch: string;
  readonly cpu_count: number;
  readonly mem_mb: number;
  readonly interfaces: readonly NetworkInterface[];
  readonly interfaces_source: InterfacesSource;
  readonly default_ipv4: DefaultIpv4;
  readonly has_systemd: boolean;
  readonly virtualization: Virtualization;
}
