// Generated from schemas/modules/file.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface FileParamsFromSchema {
  /** The path to manage. Aliases: dest, name. */
  readonly path?: string;
  /** Alias of path. */
  readonly dest?: string;
  /** Alias of path. */
  readonly name?: string;
  /** directory: create it (with parents). file: an existing file's attributes; fails when missing. absent: remove it, recursively. link: a symlink to src. touch: create or update the times (always changed). Without state, an existing path keeps its kind and a missing one is expected to be a file. */
  readonly state?: "file" | "directory" | "absent" | "link" | "touch";
  /** state=link: the link's target, stored as given (a relative target is relative to the link's folder). */
  readonly src?: string;
  /** Octal permissions: a quoted string such as "0644", or an unquoted 0644, which YAML 1.1 reads as the octal number 420, as Ansible does. */
  readonly mode?: string | number;
  /** Owner of the file, by name or uid. Needs become unless you are that user. */
  readonly owner?: string;
  /** Group of the file, by name or gid. */
  readonly group?: string;
  /** state=directory: apply mode, owner and group to everything below too. */
  readonly recurse?: boolean;
  /** state=link: replace an existing file with the link. */
  readonly force?: boolean;
}
