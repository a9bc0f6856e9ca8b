import type { EventBus } from '../events.js';
import { attachJsonLines } from './json-lines.js';
import { attachPlain } from './plain.js';
import { defaultColour } from './style.js';
import { attachTty } from './tty.js';
import type { OutputMode, Renderer, RendererOptions } from './types.js';

export { formatRecap, formatTimings } from './recap.js';
export { unifiedDiff } from './unified-diff.js';
export type { UnifiedDiffOptions } from './unified-diff.js';
export type { OutputMode, Renderer, RendererOptions } from './types.js';

/** Subscribes a renderer to the engine's events; call done() after the run to wait for the output. */
export function attachRenderer(bus: EventBus, mode: OutputMode, options: RendererOptions): Renderer {
  const out = options.out ?? process.stdout;
  const resolved = { verbose: options.verbose, diff: options.diff, out, color: options.color ?? defaultColour(out) };
  switch (mode) {
    case 'json':
      return attachJsonLines(bus, resolved);
    case 'plain':
      return attachPlain(bus, resolved);
    case 'tty':
      return attachTty(bus, resolved);
  }
}

/** The live view needs a terminal: asked for on anything else, it falls back to plain lines. */
export function chooseOutputMode(requested: OutputMode | undefined, stdoutIsTty: boolean): OutputMode {
  if (requested === 'json' || requested === 'plain') return requested;
  return stdoutIsTty ? 'tty' : 'plain';
}
