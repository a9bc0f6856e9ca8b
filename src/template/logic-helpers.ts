import { defineHelper, type HelperFunction } from './define-helper.js';
import { isTruthy } from './truthiness.js';

export const logicHelpers: readonly [string, HelperFunction][] = [
  defineHelper('and', { min: 1 }, (args) => args.every(isTruthy)),
  defineHelper('or', { min: 1 }, (args) => args.some(isTruthy)),
  defineHelper('not', { min: 1, max: 1 }, ([value]) => !isTruthy(value)),
  // Replace Handlebars' own #if/#unless so that 'no', 'false' and {} mean the same as in `when`.
  defineHelper('if', { min: 1, max: 1 }, function ([value], call) {
    return branch(this, isTruthy(value), call.fn, call.inverse);
  }),
  defineHelper('unless', { min: 1, max: 1 }, function ([value], call) {
    return branch(this, !isTruthy(value), call.fn, call.inverse);
  }),
];

type Body = ((context: unknown) => string) | undefined;

function branch(context: unknown, holds: boolean, then: Body, otherwise: Body): string {
  const body = holds ? then : otherwise;
  return body === undefined ? '' : body(context);
}
