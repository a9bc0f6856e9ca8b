// Generated from schemas/modules/serf_agent.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface SerfAgentParamsFromSchema {
  /** The agent's JSON configuration file, key for key (Serf's own names): node_name, tags, tags_file, bind, advertise, interface, rpc_addr, rpc_auth, encrypt_key, keyring_file, start_join, retry_join, retry_interval, retry_max_attempts, replay_on_join, rejoin_after_leave, event_handlers, profile, snapshot_path, leave_on_terminate, skip_leave_on_interrupt, log_level, reconnect_interval, reconnect_timeout, tombstone_timeout, broadcast_timeout, query_size_limit, query_response_size_limit, user_event_size_limit, enable_compression, disable_coordinates, disable_name_resolution, discover, protocol, enable_syslog, syslog_facility, statsite_addr, statsd_addr. Serf refuses to start on a key it does not know, so an unknown key is a validation error here. tags and tags_file exclude each other. */
  readonly config?: {
    /** Name of this node, unique in the cluster (serf -node). Default: the hostname. */
    readonly node_name?: string;
    /** Tags of this node (serf -tag key=value). A change of tags alone is applied live with serf tags, without a restart. */
    readonly tags?: {
      readonly [key: string]: string;
    };
    /** File that persists the tags across restarts; Serf refuses it together with tags. */
    readonly tags_file?: string;
    /** Address the gossip listener binds to, host:port (default 0.0.0.0:7946). */
    readonly bind?: string;
    /** Address advertised to the other members, host:port. */
    readonly advertise?: string;
    /** Network interface to bind to instead of bind. */
    readonly interface?: string;
    /** Address of the RPC listener that serf members, tags, join and event talk to (default 127.0.0.1:7373). */
    readonly rpc_addr?: string;
    /** RPC auth token; clients must give it (the module does). */
    readonly rpc_auth?: string;
    /** Gossip encryption key: base64 of 32 bytes, as serf keygen prints it; or 'generate' to create one once on the controller in encrypt_key_file and use it on every host and run. */
    readonly encrypt_key?: string;
    /** Keyring file that stores the encryption keys across restarts. */
    readonly keyring_file?: string;
    /** Agents to join at start; the agent exits when none answers. */
    readonly start_join?: readonly (string)[];
    /** Agents to join at start, retried until one answers. */
    readonly retry_join?: readonly (string)[];
    /** Time between retry_join attempts (default 30s). */
    readonly retry_interval?: string;
    /** Number of retry_join attempts; 0 is unlimited. */
    readonly retry_max_attempts?: number;
    /** Replay past user events when joining at start. */
    readonly replay_on_join?: boolean;
    /** Rejoin the snapshot's cluster even after a graceful leave. */
    readonly rejoin_after_leave?: boolean;
    /** Event handler scripts: SCRIPT, TYPE=SCRIPT (member-join,member-leave,member-failed,member-update,member-reap,user,query) or user:NAME=SCRIPT. */
    readonly event_handlers?: readonly (string)[];
    /** Timing profile. */
    readonly profile?: "lan" | "wan" | "local";
    /** Snapshot file: alive members and event clock, so a restarted agent rejoins and does not replay events. */
    readonly snapshot_path?: string;
    /** Leave the cluster gracefully on SIGTERM. */
    readonly leave_on_terminate?: boolean;
    /** Do not leave the cluster on SIGINT. */
    readonly skip_leave_on_interrupt?: boolean;
    /** Log level. */
    readonly log_level?: "trace" | "debug" | "info" | "warn" | "err";
    /** Time between attempts to reconnect to failed members. */
    readonly reconnect_interval?: string;
    /** How long a failed member is tried before it is reaped. */
    readonly reconnect_timeout?: string;
    /** How long a left member is kept before it is reaped. */
    readonly tombstone_timeout?: string;
    /** Maximum time for a broadcast (leave, force-leave) to reach the cluster (default 5s). */
    readonly broadcast_timeout?: string;
    /** Maximum size in bytes of a query (default 1024). */
    readonly query_size_limit?: number;
    /** Maximum size in bytes of a query response (default 1024). */
    readonly query_response_size_limit?: number;
    /** Maximum size in bytes of a user event, name and payload encoded (default 512, at most 9216). */
    readonly user_event_size_limit?: number;
    /** Compress broadcast messages (default true). */
    readonly enable_compression?: boolean;
    /** Do not compute network coordinates. */
    readonly disable_coordinates?: boolean;
    /** Do not resolve member names to addresses. */
    readonly disable_name_resolution?: boolean;
    /** Cluster name for mDNS discovery of peers. */
    readonly discover?: string;
    /** Serf protocol version to speak (2-5). */
    readonly protocol?: number;
    /** Also log to syslog. */
    readonly enable_syslog?: boolean;
    /** Syslog facility (default LOCAL0). */
    readonly syslog_facility?: string;
    /** statsite address for metrics, host:port. */
    readonly statsite_addr?: string;
    /** statsd address for metrics, host:port. */
    readonly statsd_addr?: string;
  };
  /** started: running with this config; stopped: not running (graceful leave); restarted: restarted on every run; absent: stopped and its config file removed. */
  readonly state?: "started" | "stopped" | "restarted" | "absent";
  /** The JSON config file the agent reads (serf agent -config-file). With systemd, the Debian unit reads /etc/serf/*.json. */
  readonly config_file?: string;
  /** Controller-side file holding the key for encrypt_key: generate; created once (mode 0600) by the first host that needs it, then read by every host and run. Relative to the playbook. */
  readonly encrypt_key_file?: string;
  /** How the agent is run: systemd (the serf unit) when /run/systemd/system exists, else daemon (start-stop-daemon, pid_file, log_file). auto picks. */
  readonly service_manager?: "auto" | "systemd" | "daemon";
  /** The systemd unit, with service_manager systemd. */
  readonly service_name?: string;
  /** Without systemd: the pidfile of the agent. */
  readonly pid_file?: string;
  /** Without systemd: the agent's log (stdout and stderr, appended). */
  readonly log_file?: string;
  /** The serf binary (an absolute path, or a name looked up in PATH on the host). */
  readonly executable?: string;
  /** Addresses (host or host:port) to join when the agent is not yet a member of a cluster holding one of them; a host also matches a member of that name. The agent's own address is ignored, so every node may get the same list. */
  readonly join?: readonly (string)[];
  /** With join: replay past user events (serf join -replay). */
  readonly replay?: boolean;
  /** Wait until the agent sees at least count alive members (having all of tags, when given), polling serf members; fails after timeout seconds naming what it saw. */
  readonly wait_for_members?: {
    /** Alive members to wait for, this agent included. */
    readonly count: number;
    /** Only members having all these tag values count. */
    readonly tags?: {
      readonly [key: string]: string;
    };
    /** Seconds to wait. */
    readonly timeout?: number;
  };
  /** Seconds to wait for a started agent to answer on its RPC address. */
  readonly start_timeout?: number;
}
