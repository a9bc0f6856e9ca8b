// Generated from schemas/modules/set_fact.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface SetFactParamsFromSchema {
  readonly [key: string]: unknown;
}
