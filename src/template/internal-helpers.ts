import type { HelperCall, HelperFunction } from './define-helper.js';
import { formatValue } from './format.js';
import { resolvePath } from './lookup.js';
import { undefinedVariable } from './template-error.js';

/**
 * Helpers that rackplay's AST rewrite inserts; templates cannot call them (see rewrite.ts).
 * `__rackplay_var base prefix ...parts` reads a variable strictly, `__rackplay_optional` the same but
 * yields undefined when missing, `__rackplay_format` turns a mustache's value into text, and
 * `__rackplay_capture` hands a lone expression's value back to the caller untouched.
 */
export const INTERNAL_PREFIX = '__rackplay_';
export const VAR_HELPER = '__rackplay_var';
export const OPTIONAL_HELPER = '__rackplay_optional';
export const FORMAT_HELPER = '__rackplay_format';
export const CAPTURE_HELPER = '__rackplay_capture';

/** The key, in Handlebars' @data, of the box a capture template writes its value into. */
export const CAPTURE_SLOT = 'rackplayCapture';

export interface CaptureBox {
  value: unknown;
}

export const internalHelpers: readonly [string, HelperFunction][] = [
  [VAR_HELPER, (...args) => read(args, true)],
  [OPTIONAL_HELPER, (...args) => read(args, false)],
  [FORMAT_HELPER, (value) => formatValue(value)],
  [
    CAPTURE_HELPER,
    (value, call) => {
      ((call as HelperCall).data?.[CAPTURE_SLOT] as CaptureBox).value = value;
      return '';
    },
  ],
];

function read(args: unknown[], required: boolean): unknown {
  const call = args.pop() as HelperCall;
  const [base, prefix, ...parts] = args as [unknown, string, ...string[]];
  const resolution = resolvePath(base, parts);
  if (resolution.found) return resolution.value;
  if (!required) return undefined;
  throw undefinedVariable(prefix + parts.slice(0, resolution.missingAt + 1).join('.'), call.loc);
}
