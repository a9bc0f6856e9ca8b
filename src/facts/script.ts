import { randomBytes } from 'node:crypto';
import { quoteWord } from '../connection/quote.js';

/** A fresh section marker per run, so no file content the script prints can pose as a section header. */
export function newFactMarker(): string {
  return `rackplay-facts-${randomBytes(9).toString('hex')}`;
}

/**
 * The one POSIX sh script that prints every fact source, each under a line `MARKER section`.
 * It only reads (files under /etc, /proc, /sys; uname, hostname, ip show) and sends no packet:
 * the default route comes from the routing table, not from `ip route get`. It must run under dash,
 * bash and busybox sh alike, and every probe tolerates a missing tool: the parser decides what is missing.
 */
export function factScript(marker: string): string {
  return `exec 2>/dev/null
LC_ALL=C; export LC_ALL
M=${quoteWord(marker)}
s() { printf '\\n%s %s\\n' "$M" "$1"; }
have() { command -v "$1" >/dev/null; }
s system; uname -s
s nodename; uname -n
s kernel; uname -r
s arch; uname -m
s fqdn; if have timeout; then timeout 2 hostname -f; else hostname -f; fi
s os-release; cat /etc/os-release || cat /usr/lib/os-release
s cpu; getconf _NPROCESSORS_ONLN || nproc || grep -c '^processor' /proc/cpuinfo
s meminfo; grep '^MemTotal:' /proc/meminfo
if have ip; then
  s ip-addr-json; ip -j addr show || { s ip-addr-text; ip addr show; }
  s ip-route-json; ip -j route show default || { s ip-route-text; ip route show default; }
fi
s sysfs-net
for d in /sys/class/net/*; do
  [ -e "$d" ] || continue
  a=; { read -r a < "$d/address"; } 2>/dev/null
  printf '%s %s\\n' "\${d##*/}" "$a"
done
s systemd; [ -d /run/systemd/system ] && echo yes
s virt
[ -f /.dockerenv ] && echo dockerenv
[ -f /run/.containerenv ] && echo containerenv
tr '\\000' '\\n' < /proc/1/environ | grep '^container='
if have systemd-detect-virt; then
  echo "sdv-container $(systemd-detect-virt -c)"
  echo "sdv-vm $(systemd-detect-virt -v)"
fi
for f in product_name sys_vendor; do
  v=; { read -r v < /sys/class/dmi/id/$f; } 2>/dev/null && echo "dmi-$f $v"
done
grep -q '^flags.* hypervisor' /proc/cpuinfo && echo hypervisor-flag
s end
exit 0
`;
}
