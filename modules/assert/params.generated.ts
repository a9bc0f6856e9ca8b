// Generated from schemas/modules/assert.json by `npm run gen:types`; do not edit.
// A test fails when this file and the schema disagree.

export interface AssertParamsFromSchema {
  /** One condition or a list of them, e.g. "eq port 80" or "{{includes groups.web inventory_hostname}}". */
  readonly that: string | boolean | readonly (string | boolean)[];
  /** Message when an assertion fails. */
  readonly fail_msg?: string;
  /** Alias of fail_msg. */
  readonly msg?: string;
  /** Message when all assertions hold. */
  readonly success_msg?: string;
  /** Accepted for Ansible compatibility. */
  readonly quiet?: boolean;
}
