/** One word of a command line, with where it sat in the text (to cut `creates=…` out of it). */
export interface Word {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export class CommandLineError extends Error {
  readonly code = 'E_COMMAND_LINE';
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

const BLANK = /\s/;
/** The characters a backslash escapes inside double quotes, as in POSIX sh. */
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`', '\n']);

/**
 * POSIX-ish word splitting with no shell: blanks separate words, '…' is literal, "…" honours \" \\ \$ \`,
 * and a backslash outside quotes takes the next character literally. Nothing is expanded.
 */
export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    if (BLANK.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    while (i < text.length && !BLANK.test(text[i]!)) {
      const char = text[i]!;
      if (char === "'") {
        const close = text.indexOf("'", i + 1);
        if (close === -1) throw new CommandLineError(`unterminated single quote in: ${text}`);
        value += text.slice(i + 1, close);
        i = close + 1;
      } else if (char === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new CommandLineError(`unterminated double quote in: ${text}`);
          const inner = text[i]!;
          if (inner === '"') break;
          if (inner === '\\' && DOUBLE_QUOTE_ESCAPES.has(text[i + 1] ?? '')) {
            value += text[i + 1]!;
            i += 2;
          } else {
            value += inner;
            i++;
          }
        }
        i++;
      } else if (char === '\\') {
        if (i + 1 >= text.length) throw new CommandLineError(`trailing backslash in: ${text}`);
        value += text[i + 1]!;
        i += 2;
      } else {
        value += char;
        i++;
      }
    }
    words.push({ value, start, end: i });
  }
  return words;
}

/** Options Ansible accepts inline in a free-form command: `command: make chdir=/src creates=out`. */
const INLINE_OPTIONS = ['creates', 'removes', 'chdir', 'stdin', 'executable'] as const;
export type InlineOption = (typeof INLINE_OPTIONS)[number];

/**
 * Cuts Ansible's inline `key=value` options out of free-form text; the rest stays exactly as written,
 * so a multi-line shell script keeps its newlines. `allowed` names the options the module has.
 */
export function extractInlineOptions(text: string, allowed: readonly InlineOption[]): { rest: string; options: Partial<Record<InlineOption, string>> } {
  let words: Word[];
  try {
    words = splitWords(text);
  } catch (error) {
    // Shell syntax can defeat the word splitter (a heredoc with an apostrophe); such text has no options.
    if (error instanceof CommandLineError) return { rest: text, options: {} };
    throw error;
  }
  const options: Partial<Record<InlineOption, string>> = {};
  let rest = text;
  // From the end, so that the earlier words' offsets stay valid; the last occurrence wins, as in Ansible.
  for (const word of [...words].reverse()) {
    // Only an unquoted `key=` counts: `'creates=x'` is an argument, as in Ansible.
    const raw = text.slice(word.start, word.end);
    const key = INLINE_OPTIONS.find((option) => allowed.includes(option) && raw.startsWith(`${option}=`));
    if (key === undefined) continue;
    options[key] ??= word.value.slice(key.length + 1);
    rest = `${rest.slice(0, word.start).replace(/[ \t]+$/, '')}${rest.slice(word.end)}`;
  }
  return { rest: Object.keys(options).length === 0 ? text : rest.trim(), options };
}

/** Whether the `creates` / `removes` globs match anything; undefined when not asked. */
export interface GuardState {
  readonly createsExists?: boolean;
  readonly removesExists?: boolean;
  readonly chdirMissing?: boolean;
}

/** Reads the guard script's `creates=1` / `removes=0` / `chdir=missing` lines. */
export function parseGuardOutput(output: string): GuardState {
  const fields = new Map(output.split('\n').filter((line) => line.includes('=')).map((line) => line.split('=', 2) as [string, string]));
  const flag = (key: string) => (fields.has(key) ? fields.get(key) === '1' : undefined);
  return { createsExists: flag('creates'), removesExists: flag('removes'), chdirMissing: fields.get('chdir') === 'missing' ? true : undefined };
}
