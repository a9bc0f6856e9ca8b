// Generated from schemas/modules/ipvs_service.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface IpvsServiceParamsFromSchema {
  /** The service protocol: tcp (-t), udp (-u), sctp (--sctp-service), or fwmark (-f) for a firewall-mark service. Defaults to fwmark when fwmark is given, else tcp. */
  readonly protocol?: "tcp" | "udp" | "sctp" | "fwmark";
  /** The virtual IP of a tcp, udp or sctp service: an IPv4 or IPv6 address (an IPv6 address makes an IPv6 service). */
  readonly address?: string;
  /** The port of a tcp, udp or sctp service; 0 (all ports) only with persistence. */
  readonly port?: number;
  /** The firewall mark of a fwmark service (set by an iptables MARK rule), instead of address and port. */
  readonly fwmark?: number;
  /** With fwmark: the service is IPv6 (ipvsadm -6). Services on an address take the family of the address. */
  readonly ipv6?: boolean;
  /** The scheduling algorithm (ipvsadm -s); the kernel module ip_vs_<scheduler> provides it. */
  readonly scheduler?: "rr" | "wrr" | "lc" | "wlc" | "lblc" | "lblcr" | "dh" | "sh" | "sed" | "nq" | "fo" | "ovf" | "mh";
  /** Scheduler flags (ipvsadm -b): sh-fallback and sh-port for scheduler sh, mh-fallback and mh-port for scheduler mh. */
  readonly sched_flags?: readonly ("sh-fallback" | "sh-port" | "mh-fallback" | "mh-port")[];
  /** Persistent service (ipvsadm -p): the timeout in seconds, or true for ipvsadm's default of 360; false for none. */
  readonly persistence?: number | boolean;
  /** With persistence: the client granularity (ipvsadm -M), as an IPv4 netmask (255.255.255.0) or a prefix length (24; 1-128 for IPv6 services). Default: each client on its own (/32, /128). */
  readonly persistence_netmask?: string | number;
  /** One-packet scheduling (ipvsadm -o): each packet is scheduled on its own. Only for udp and fwmark services. */
  readonly one_packet?: boolean;
  /** present: the service exists as specified; absent: the service (with its real servers) is deleted (ipvsadm -D). */
  readonly state?: "present" | "absent";
  /** The real servers (destinations) of the service. */
  readonly real_servers?: readonly ({
    /** The real server address, IPv4 or IPv6. */
    readonly address: string;
    /** The real server port. Default: the service port (0 for fwmark services: the port of the packet). With dr and tunnel forwarding it must equal the service port (ipvsadm would silently force it). */
    readonly port?: number;
    /** The forwarding method: dr, direct routing (ipvsadm -g); nat, masquerading (-m); tunnel, IP-in-IP (-i). */
    readonly forwarding?: "dr" | "nat" | "tunnel";
    /** The weight (ipvsadm -w). 0 drains the server: no new connections, existing ones continue; it is not removed. */
    readonly weight?: number;
    /** Upper connection threshold (ipvsadm -x): no new connections above it. 0: no limit. */
    readonly upper_threshold?: number;
    /** Lower connection threshold (ipvsadm -y): below it the server takes new connections again. 0: not set. */
    readonly lower_threshold?: number;
  })[];
  /** Remove (ipvsadm -d) real servers of the service that are not in real_servers. false keeps them. */
  readonly purge_real_servers?: boolean;
  /** Run modprobe ip_vs when the kernel has no IPVS loaded, and modprobe ip_vs_<scheduler> before the scheduler is first used. Without it, a host without IPVS fails with a message naming modprobe ip_vs. */
  readonly load_module?: boolean;
}
