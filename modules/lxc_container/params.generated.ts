// Generated from schemas/modules/lxc_container.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface LxcContainerParamsFromSchema {
  /** The container's name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters (it is a folder under lxc_path and the default hostname; LXC itself accepts '..' or '-x' and then writes outside lxc_path or reads the name as an option). */
  readonly name: string;
  /** The template lxc-create runs (e.g. busybox, debian, or a path to a template script). No default (community.general's 'download' needs the network): required when the container does not exist and clone_from is not given; a missing container without it fails the task. */
  readonly template?: string;
  /** Arguments passed to the template, after lxc-create's '--'. */
  readonly template_options?: readonly (string)[];
  /** Backing store of a new container (lxc-create -B). With clone_from it is passed to lxc-copy only when given. */
  readonly backing_store?: "dir" | "lvm" | "loop" | "btrfs" | "overlayfs" | "zfs";
  /** backing_store dir: where the rootfs goes (lxc-create --dir). */
  readonly directory?: string;
  /** backing_store lvm: the logical volume's name (--lvname); LXC defaults to the container's name. */
  readonly lv_name?: string;
  /** backing_store lvm: the volume group (--vgname); LXC defaults to lxc. */
  readonly vg_name?: string;
  /** backing_store lvm: a thin pool to create the volume in (--thinpool). */
  readonly thinpool?: string;
  /** backing_store lvm or loop: the filesystem to create (--fstype); LXC defaults to ext4. */
  readonly fs_type?: string;
  /** backing_store lvm or loop: the size of the block device (--fssize), e.g. 5G; LXC defaults to 1G. */
  readonly fs_size?: string;
  /** backing_store zfs: the dataset under which the container's is created (--zfsroot). */
  readonly zfs_root?: string;
  /** The folder holding the containers (lxc -P). Default: LXC's lxc.lxcpath (lxc-config), /var/lib/lxc for root. */
  readonly lxc_path?: string;
  /** present: exists, running or not; started: running; stopped; restarted: stopped then started on every run (always changed); frozen: running and frozen; absent: destroyed (stopped first). */
  readonly state?: "present" | "started" | "stopped" | "restarted" | "frozen" | "absent";
  /** LXC config keys and their values, e.g. lxc.net.0.type: veth. A key's lines in the config file are replaced by the value (a list means a multi-valued key, one line per item, e.g. lxc.net.0.ipv4.address or lxc.mount.entry; an empty list removes the key). true/false are written 1/0. A key that is not there yet goes after the last line of its group (lxc.net.0.…), else at the end. */
  readonly config?: {
    readonly [key: string]: string | number | boolean | readonly (string | number)[];
  };
  /** Key prefixes whose lines are removed unless config names them, e.g. [lxc.net.1] drops a second interface. A prefix matches whole parts: lxc.net.1 matches lxc.net.1.link, not lxc.net.10.link. */
  readonly config_purge_keys?: readonly (string)[];
  /** When the config changes while the container runs (or is frozen), restart it so the change takes effect. Otherwise the result says restart_required: true. */
  readonly restart_on_config_change?: boolean;
  /** A script run inside the container with lxc-attach (/bin/sh -c, clean environment) once it runs: with state started and restarted after starting, with frozen before freezing. Without creates it runs, and reports changed, on every run. */
  readonly container_command?: string;
  /** A path inside the container: container_command is skipped when it exists. */
  readonly creates?: string;
  /** Create this container with lxc-copy from this existing container (same lxc_path) instead of a template. Without clone_snapshot the source must be stopped. */
  readonly clone_from?: string;
  /** With clone_from: a copy-on-write snapshot clone (lxc-copy -s, an overlay on the source's rootfs) instead of a full copy. */
  readonly clone_snapshot?: boolean;
  /** Writes a tarball of the container's rootfs (dir backing stores). It is written only when path does not exist yet, and is changed only then: delete the file for a new one. With state absent it is written before the container is destroyed. The rootfs is read as it is (a running container is not paused). */
  readonly archive?: {
    /** The tarball's path on the host. */
    readonly path: string;
    /** gzip (tar -z), bzip2 (tar -j) or none. */
    readonly compression?: "gzip" | "bzip2" | "none";
  };
  /** Seconds lxc-wait waits for RUNNING, STOPPED or FROZEN, and lxc-stop for a clean shutdown before it kills. */
  readonly wait_timeout?: number;
}
