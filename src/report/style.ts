import { stripVTControlCharacters } from 'node:util';

/** ANSI colours for the renderers; plain codes, so no dependency and no global colour detection. */
export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'magenta' | 'bold' | 'dim';

const CODES: Record<Colour, readonly [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  magenta: [35, 39],
  bold: [1, 22],
  dim: [2, 22],
};

export type Paint = (colour: Colour, text: string) => string;

/** A painter that colours only when enabled, so callers never branch on the flag. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (_colour, text) => text;
  return (colour, text) => {
    const [open, close] = CODES[colour];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/** The colour default: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function defaultColour(out: NodeJS.WritableStream): boolean {
  const noColor = process.env.NO_COLOR;
  return (out as { isTTY?: boolean }).isTTY === true && (noColor === undefined || noColor === '');
}

/** Width of text as shown, ignoring colour codes; used to pad coloured columns. */
export function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}
