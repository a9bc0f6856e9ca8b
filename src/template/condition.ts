import { asTemplate, withColumnsOf } from './bare.js';
import { renderValue } from './render.js';
import { isTruthy } from './truthiness.js';

/**
 * `when`, `changed_when`, `failed_when`, assert's `that`: a boolean, a template, or a bare expression
 * (`is_debian`, `eq os 'debian'`, `not (eq rc 0)`) that is read as if wrapped in `{{ }}`; the words
 * true/false/yes/no/on/off are booleans. Lists are values here, not lists of conditions: whether a list
 * of conditions means all (`when`) or any (`failed_when`) is the caller's to decide.
 */
export function evaluateCondition(condition: unknown, vars: Record<string, unknown>): boolean {
  if (typeof condition !== 'string') return isTruthy(condition);
  if (condition.trim() === '') return false;
  const { source, shift } = asTemplate(condition);
  return withColumnsOf(shift, () => isTruthy(renderValue(source, vars)));
}
