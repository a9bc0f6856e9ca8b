// Generated from schemas/modules/iptables_rule.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface IptablesRuleParamsFromSchema {
  /** The table the rule or chain is in. */
  readonly table?: "filter" | "nat" | "mangle" | "raw" | "security";
  /** The chain: a built-in one (INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING) or a user chain. Required unless flush. */
  readonly chain?: string;
  /** ipv4 drives iptables, ipv6 drives ip6tables. */
  readonly ip_version?: "ipv4" | "ipv6";
  /** Whether the rule (or, with chain_management and no rule options, the chain) should exist. */
  readonly state?: "present" | "absent";
  /** Where a missing rule goes: appended at the end (-A) or inserted (-I) at rule_num (default 1). */
  readonly action?: "append" | "insert";
  /** With action=insert: the 1-based position to insert at. */
  readonly rule_num?: number | string;
  /** With action=insert and rule_num: a rule that exists at another position is moved to rule_num (Ansible never checks order). */
  readonly position_enforced?: boolean;
  /** The protocol: tcp, udp, udplite, icmp, ipv6-icmp (icmpv6), esp, ah, sctp, all, or a number. */
  readonly protocol?: string;
  /** Source address: an IP, an IP/prefix, an IP/netmask or a host name (resolved by iptables once). One address: iptables would turn a comma list into several rules. */
  readonly source?: string;
  /** Destination address, in the forms of source. */
  readonly destination?: string;
  /** Match extensions to load (-m), in order, e.g. [tcp], [state]. Those the other options need (multiport, conntrack, iprange, set, limit, owner, comment) are added by themselves. */
  readonly match?: readonly (string)[];
  /** Interface the packet came in on (-i); a trailing + matches a prefix. */
  readonly in_interface?: string;
  /** Interface the packet goes out on (-o); a trailing + matches a prefix. */
  readonly out_interface?: string;
  /** Source port or range (port:port), needs protocol tcp, udp or sctp. */
  readonly source_port?: string | number;
  /** Destination port or range (port:port), needs protocol tcp, udp or sctp. */
  readonly destination_port?: string | number;
  /** Destination ports or ranges through the multiport match (--dports), at most 15; needs protocol. */
  readonly destination_ports?: readonly (string | number)[];
  /** Connection tracking states (conntrack --ctstate, or state --state when match lists 'state'). */
  readonly ctstate?: readonly ("INVALID" | "invalid" | "NEW" | "new" | "ESTABLISHED" | "established" | "RELATED" | "related" | "UNTRACKED" | "untracked" | "SNAT" | "snat" | "DNAT" | "dnat")[];
  /** Source address range, ip-ip (iprange match). */
  readonly src_range?: string;
  /** Destination address range, ip-ip (iprange match). */
  readonly dst_range?: string;
  /** An ipset to match (set --match-set); the set must exist. */
  readonly match_set?: string;
  /** Which addresses are looked up in match_set. */
  readonly match_set_flags?: "src" | "dst" | "src,dst" | "dst,src" | "src,src" | "dst,dst";
  /** Average match rate (limit --limit), e.g. 5/minute. */
  readonly limit?: string;
  /** Burst of the limit match (--limit-burst); iptables defaults to 5. */
  readonly limit_burst?: number | string;
  /** Owner match on the socket user, by name or uid (OUTPUT and POSTROUTING only). */
  readonly uid_owner?: string | number;
  /** Owner match on the socket group, by name or gid (OUTPUT and POSTROUTING only). */
  readonly gid_owner?: string | number;
  /** TCP SYN flag only (match: --syn; negate: ! --syn); needs protocol tcp. */
  readonly syn?: "ignore" | "match" | "negate";
  /** TCP flags match (--tcp-flags flags flags_set); needs protocol tcp. */
  readonly tcp_flags?: {
    /** Flags to examine. */
    readonly flags: readonly ("SYN" | "ACK" | "FIN" | "RST" | "URG" | "PSH" | "ALL" | "NONE")[];
    /** Flags among those that must be set. */
    readonly flags_set: readonly ("SYN" | "ACK" | "FIN" | "RST" | "URG" | "PSH" | "ALL" | "NONE")[];
  };
  /** ICMP type by name or number (type/code), e.g. echo-request; --icmpv6-type for ipv6. Needs protocol icmp or ipv6-icmp. */
  readonly icmp_type?: string | number;
  /** true: only second and later fragments (-f); false: only unfragmented packets and first fragments (! -f). */
  readonly fragment?: boolean;
  /** A comment on the rule (comment match); spaces are fine. */
  readonly comment?: string;
  /** The target: ACCEPT, DROP, REJECT, LOG, RETURN, DNAT, SNAT, MASQUERADE, REDIRECT, DSCP, TEE… or a user chain. */
  readonly jump?: string;
  /** Continue in this user chain without returning (-g). */
  readonly goto?: string;
  /** Port or range for REDIRECT and MASQUERADE (--to-ports). */
  readonly to_ports?: string | number;
  /** Address[:port] for DNAT (--to-destination). */
  readonly to_destination?: string;
  /** Address[:port] for SNAT (--to-source). */
  readonly to_source?: string;
  /** The error REJECT replies with (--reject-with), e.g. tcp-reset, icmp-host-prohibited; without jump, it implies jump: REJECT. */
  readonly reject_with?: string;
  /** Prefix of LOG messages (--log-prefix), at most 29 characters; needs jump: LOG. */
  readonly log_prefix?: string;
  /** Syslog level of LOG messages (--log-level); needs jump: LOG. */
  readonly log_level?: "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | "emerg" | "alert" | "crit" | "error" | "warning" | "notice" | "info" | "debug";
  /** DSCP value to set (DSCP --set-dscp), 0-63; needs jump: DSCP. */
  readonly set_dscp_mark?: string | number;
  /** DSCP class to set (DSCP --set-dscp-class); needs jump: DSCP. */
  readonly set_dscp_mark_class?: "CS0" | "CS1" | "CS2" | "CS3" | "CS4" | "CS5" | "CS6" | "CS7" | "BE" | "EF" | "AF11" | "AF12" | "AF13" | "AF21" | "AF22" | "AF23" | "AF31" | "AF32" | "AF33" | "AF41" | "AF42" | "AF43";
  /** The gateway TEE clones packets to (--gateway); needs jump: TEE. */
  readonly gateway?: string;
  /** The policy of a built-in chain (-P); changed only when it differs. Other rule options are ignored, as in Ansible. */
  readonly policy?: "ACCEPT" | "DROP" | "QUEUE" | "RETURN";
  /** Remove every rule of chain, or of the whole table without chain (-F); reports changed only when there were rules. */
  readonly flush?: boolean;
  /** Create the user chain when it is missing (-N). With state=absent and no rule options, delete the chain (-X); it must be empty and unreferenced. */
  readonly chain_management?: boolean;
  /** Seconds to wait for the xtables lock (-w). */
  readonly wait?: string | number;
  /** Not locking yourself out: before changing anything, the ruleset of the IP version (every table) is saved on the target and a rollback is armed there that restores it after this many seconds; after the change, the controller opens a new connection to the host and only then cancels the rollback. When that connection fails, the host is unreachable and restores itself. Check mode arms nothing; a task that changes nothing arms nothing. */
  readonly confirm_timeout?: number | string;
}
