// Generated from schemas/modules/copy.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface CopyParamsFromSchema {
  /** The file's content, written exactly as given. One of content or src. */
  readonly content?: string;
  /** A file on the controller, relative to the playbook's folder or its files/ folder. One of content or src. */
  readonly src?: string;
  /** Where to write on the host. When it is an existing folder and src is given, the file goes inside it under the source's name. */
  readonly dest: string;
  /** Octal permissions: a quoted string such as "0644", or an unquoted 0644, which YAML 1.1 reads as the octal number 420, as Ansible does. */
  readonly mode?: string | number;
  /** Owner of the file, by name or uid. Needs become unless you are that user. */
  readonly owner?: string;
  /** Group of the file, by name or gid. */
  readonly group?: string;
  /** Before replacing an existing file, copy it to PATH.PID.YYYY-MM-DD@HH:MM:SS~ on the host. */
  readonly backup?: boolean;
  /** Replace a file whose content differs. false: only create a missing file. */
  readonly force?: boolean;
}
