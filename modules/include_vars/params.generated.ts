// Generated from schemas/modules/include_vars.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface IncludeVarsParamsFromSchema {
  /** Path to the vars file, relative to the playbook or task file. */
  readonly file: string;
  /** Put all the file's variables under this one variable. */
  readonly name?: string;
}
