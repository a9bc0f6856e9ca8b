import type { AstLocation } from './ast.js';
import { TemplateError, positionOf } from './template-error.js';

/** What Handlebars passes as a helper's last argument (the parts rackplay reads). */
export interface HelperCall {
  readonly loc?: AstLocation;
  readonly data?: Record<string, unknown>;
  /** Named arguments (`key=value`), always present (empty when none). */
  readonly hash?: Record<string, unknown>;
  readonly fn?: (context: unknown) => string;
  readonly inverse?: (context: unknown) => string;
}

/** A helper rejecting its input; becomes a TemplateError naming the helper and where it was called. */
export class HelperError extends Error {}

export type HelperFunction = (this: unknown, ...args: unknown[]) => unknown;

export interface Arity {
  readonly min: number;
  readonly max?: number;
}

/** Wraps a helper body: strips Handlebars' options argument, checks the argument count, and places errors. */
export function defineHelper(
  name: string,
  arity: Arity,
  body: (this: unknown, args: unknown[], call: HelperCall) => unknown,
): [string, HelperFunction] {
  const helper = function (this: unknown, ...raw: unknown[]): unknown {
    const call = raw.pop() as HelperCall;
    if (raw.length < arity.min || (arity.max !== undefined && raw.length > arity.max)) {
      throw new TemplateError('E_TEMPLATE', `${name} takes ${describeArity(arity)}, got ${raw.length}`, { position: positionOf(call.loc) });
    }
    try {
      return body.call(this, raw, call);
    } catch (error) {
      if (!(error instanceof HelperError)) throw error;
      throw new TemplateError('E_TEMPLATE', `${name}: ${error.message}`, { position: positionOf(call.loc), cause: error });
    }
  };
  return [name, helper];
}

function describeArity({ min, max }: Arity): string {
  const count = max === undefined ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
  return `${count} argument${min === 1 && max === 1 ? '' : 's'}`;
}
