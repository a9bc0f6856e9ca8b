// Generated from schemas/modules/lineinfile.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface LineinfileParamsFromSchema {
  /** The path to manage. Aliases: dest, name. */
  readonly path?: string;
  /** Alias of path. */
  readonly dest?: string;
  /** Alias of path. */
  readonly name?: string;
  /** The line to ensure present (required for state=present), or to remove with state=absent. */
  readonly line?: string;
  /** Python regular expression: state=present replaces the last matching line (the first with firstmatch); state=absent removes every matching line. */
  readonly regexp?: string;
  /** A literal substring, used like regexp. */
  readonly search_string?: string;
  /** Whether the line should be there. */
  readonly state?: "present" | "absent";
  /** When no line matches: insert after the last line matching this regular expression, or EOF. */
  readonly insertafter?: string;
  /** When no line matches: insert before the last line matching this regular expression, or BOF. */
  readonly insertbefore?: string;
  /** Use the first line that regexp, insertafter or insertbefore match rather than the last. */
  readonly firstmatch?: boolean;
  /** Expand \1 and \g<name> in line from the regexp's groups; when the regexp matches nothing the file is left alone. */
  readonly backrefs?: boolean;
  /** Create the file (and its folder) when it is missing, rather than failing. */
  readonly create?: boolean;
  /** Before replacing an existing file, copy it to PATH.PID.YYYY-MM-DD@HH:MM:SS~ on the host. */
  readonly backup?: boolean;
  /** Octal permissions: a quoted string such as "0644", or an unquoted 0644, which YAML 1.1 reads as the octal number 420, as Ansible does. */
  readonly mode?: string | number;
  /** Owner of the file, by name or uid. Needs become unless you are that user. */
  readonly owner?: string;
  /** Group of the file, by name or gid. */
  readonly group?: string;
}
