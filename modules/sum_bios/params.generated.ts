// Generated from schemas/modules/sum_bios.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface SumBiosParamsFromSchema {
  /** inband: sum runs on the host itself, without -i/-u/-p. oob: sum runs where the task runs (the controller with a local connection, or delegate_to) against the BMC given by bmc_host, bmc_user and bmc_password. */
  readonly mode?: "inband" | "oob";
  /** oob: the BMC's address or name, passed as sum -i. */
  readonly bmc_host?: string;
  /** oob: the BMC user, passed as sum -u. */
  readonly bmc_user?: string;
  /** oob: the BMC password, passed as sum -p (SUM has no other channel for it). It is kept out of change descriptions and masked in error messages. */
  readonly bmc_password?: string;
  /** The sum executable, by name on PATH or by path, where sum runs. */
  readonly sum_path?: string;
  /** Wanted settings by "Menu|Submenu|Setting" (the menu path as SUM writes it, then the setting's name; matched exactly, or case-insensitively when that is unambiguous). The value is an option label such as Enabled, a number for Numeric settings, or a string for String settings. */
  readonly settings?: {
    readonly [key: string]: string | number;
  };
  /** Boot devices by label, first to boot first: written to the settings that carry an order attribute (Boot Option #1, #2, ...), in that order. Slots after the list are left as they are. */
  readonly boot_order?: readonly (string)[];
  /** Skip names in settings that the board does not have (reported as skipped_settings) instead of failing. */
  readonly skip_unknown?: boolean;
  /** Wanted state is the BIOS defaults, except the settings given: runs LoadDefaultBiosCfg only when some setting not listed differs from its default, then the listed settings. */
  readonly reset_to_defaults?: boolean;
  /** Wanted BIOS firmware: UpdateBios runs only when the running BIOS version (GetBiosInfo) differs from version. */
  readonly firmware?: {
    /** The BIOS image file, where sum runs. */
    readonly image: string;
    /** The BIOS version the image holds, as GetBiosInfo reports it. */
    readonly version: string;
  };
  /** A folder on the controller (relative to the playbook's folder) where the full current configuration is saved before every change, as HOST-bios-TIME.xml or .txt. When the backup cannot be written, nothing changes. */
  readonly backup_dir?: string;
  /** Pass --reboot to the last sum command so the changes take effect now; reboot_required is then false. */
  readonly reboot?: boolean;
}
