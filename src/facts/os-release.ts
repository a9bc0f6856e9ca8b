/** /etc/os-release as key → value, with the shell-style quoting the format allows undone. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match === null) continue;
    fields[match[1]!] = unquote(match[2]!);
  }
  return fields;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  return value;
}

/** Ansible's ansible_distribution spelling for the common os-release IDs. */
const DISTRIBUTION: Readonly<Record<string, string>> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  raspbian: 'Debian',
  linuxmint: 'Linux Mint',
  kali: 'Kali',
  rhel: 'RedHat',
  centos: 'CentOS',
  fedora: 'Fedora',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  alpine: 'Alpine',
  arch: 'Archlinux',
  manjaro: 'Archlinux',
  sles: 'SLES',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  gentoo: 'Gentoo',
  void: 'Void',
  nixos: 'NixOS',
};

/** Ansible's ansible_os_family, by os-release ID (or an ID_LIKE entry). */
const FAMILY: Readonly<Record<string, string>> = {
  debian: 'Debian',
  ubuntu: 'Debian',
  raspbian: 'Debian',
  linuxmint: 'Debian',
  kali: 'Debian',
  pop: 'Debian',
  devuan: 'Debian',
  rhel: 'RedHat',
  centos: 'RedHat',
  fedora: 'RedHat',
  rocky: 'RedHat',
  almalinux: 'RedHat',
  ol: 'RedHat',
  amzn: 'RedHat',
  scientific: 'RedHat',
  alpine: 'Alpine',
  arch: 'Archlinux',
  manjaro: 'Archlinux',
  endeavouros: 'Archlinux',
  sles: 'Suse',
  sled: 'Suse',
  suse: 'Suse',
  opensuse: 'Suse',
  'opensuse-leap': 'Suse',
  'opensuse-tumbleweed': 'Suse',
  gentoo: 'Gentoo',
  void: 'Void',
  nixos: 'NixOS',
};

export interface OsFacts {
  readonly id: string;
  readonly name: string;
  readonly version_id: string;
  readonly family: string;
  readonly distribution: string;
}

/**
 * id, name and version_id as os-release says (its documented defaults, `linux` and `Linux`, when the file
 * is missing); the family from the ID, else from ID_LIKE, else the distribution itself, as Ansible does.
 */
export function osFacts(fields: Readonly<Record<string, string>>): OsFacts {
  const id = (fields.ID ?? 'linux').toLowerCase();
  const name = fields.NAME ?? 'Linux';
  const distribution = DISTRIBUTION[id] ?? name;
  const like = (fields.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter((entry) => entry !== '');
  const family = FAMILY[id] ?? like.map((entry) => FAMILY[entry]).find((entry) => entry !== undefined) ?? distribution;
  return { id, name, version_id: fields.VERSION_ID ?? '', family, distribution };
}
