// Generated from schemas/modules/debug.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface DebugParamsFromSchema {
  /** The message to print (any type). */
  readonly msg?: unknown;
  /** The name of a variable to print (dotted paths allowed). */
  readonly var?: string;
}
