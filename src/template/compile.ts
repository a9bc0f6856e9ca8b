import { directTemplate } from './direct-template.js';
import { COMPILE_OPTIONS, handlebars } from './environment.js';
import { CAPTURE_SLOT, type CaptureBox } from './internal-helpers.js';
import { parseTemplate } from './parse.js';
import { rewriteForCapture, rewriteForText } from './rewrite.js';

export interface CompiledTemplate {
  readonly text: (vars: Record<string, unknown>) => string;
  /** Present when the template is one lone expression: its value, with its own type. */
  readonly native?: (vars: Record<string, unknown>) => unknown;
}

/** Templates by source. A run renders the same task strings for every host and loop item. */
const cache = new Map<string, CompiledTemplate>();
/** Playbooks hold far fewer distinct templates; the bound only keeps pathological inputs from growing memory. */
const MAX_CACHED = 10_000;

export function compileTemplate(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const compiled = build(source);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

function build(source: string): CompiledTemplate {
  const program = parseTemplate(source);
  const direct = directTemplate(program);
  if (direct !== undefined) return direct;
  const text = handlebars.compile(rewriteForText(program), COMPILE_OPTIONS);
  const captureProgram = rewriteForCapture(program);
  if (captureProgram === undefined) return { text: (vars) => text(vars) };
  const capture = handlebars.compile(captureProgram, COMPILE_OPTIONS);
  return {
    text: (vars) => text(vars),
    native: (vars) => {
      // A box per call: rendering re-enters itself when a lazily rendered variable is read.
      const box: CaptureBox = { value: undefined };
      capture(vars, { data: { [CAPTURE_SLOT]: box } });
      return box.value;
    },
  };
}
