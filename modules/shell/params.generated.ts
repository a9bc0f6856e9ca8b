// Generated from schemas/modules/shell.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface ShellParamsFromSchema {
  /** The script to run. */
  readonly cmd: string;
  /** A path or glob; when it matches something the command is not run (relative to chdir). */
  readonly creates?: string;
  /** A path or glob; when it matches nothing the command is not run (relative to chdir). */
  readonly removes?: string;
  /** Change into this folder before running. */
  readonly chdir?: string;
  /** Text fed to the command's standard input. */
  readonly stdin?: string;
  /** Append a newline to stdin. */
  readonly stdin_add_newline?: boolean;
  /** Remove trailing newlines from stdout and stderr in the result. */
  readonly strip_empty_ends?: boolean;
  /** The shell that runs the script with -c. */
  readonly executable?: string;
}
