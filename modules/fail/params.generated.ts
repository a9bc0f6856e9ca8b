// Generated from schemas/modules/fail.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface FailParamsFromSchema {
  /** The failure message. */
  readonly msg?: string;
}
