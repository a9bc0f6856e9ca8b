import Handlebars from 'handlebars';
import { comparisonHelpers } from './comparison-helpers.js';
import { dataHelpers } from './data-helpers.js';
import { INTERNAL_PREFIX, internalHelpers } from './internal-helpers.js';
import { listHelpers } from './list-helpers.js';
import { logicHelpers } from './logic-helpers.js';

/** rackplay's own Handlebars: helpers registered here never leak into, or in from, other users of the library. */
export const handlebars = Handlebars.create();

for (const [name, helper] of [...comparisonHelpers, ...logicHelpers, ...dataHelpers, ...listHelpers, ...internalHelpers]) {
  handlebars.registerHelper(name, helper);
}

export const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  // Known helpers are called directly, skipping Handlebars' helper-or-variable guess for the inserted calls.
  knownHelpers: Object.fromEntries(internalHelpers.map(([name]) => [name, true])),
} as const;

/** A helper a template may call by name; the internal ones are reserved for the rewrite. */
export function isHelperName(name: string): boolean {
  return Object.hasOwn(handlebars.helpers, name) && !name.startsWith(INTERNAL_PREFIX);
}
