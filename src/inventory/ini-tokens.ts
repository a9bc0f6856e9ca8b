/** One whitespace-separated word of an INI line, quotes still in place, with its 1-based column. */
export interface IniToken {
  readonly raw: string;
  readonly col: number;
}

/**
 * Splits an INI host line like shlex (posix, comments on) does for Ansible: quotes group words,
 * a backslash escapes outside single quotes, and `#` at the start of a word ends the line.
 * Quotes are kept in `raw` so the value parser can tell `port="22"` (a string) from `port=22`.
 */
export function splitIniLine(line: string): { tokens: IniToken[]; unclosedQuoteCol?: number } {
  const tokens: IniToken[] = [];
  let index = 0;
  while (index < line.length) {
    while (index < line.length && /\s/.test(line[index]!)) index++;
    if (index >= line.length || line[index] === '#') break;
    const start = index;
    let quote: string | undefined;
    let quoteStart = 0;
    while (index < line.length) {
      const char = line[index]!;
      if (quote !== undefined) {
        if (char === '\\' && quote === '"') index++;
        else if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") {
        quote = char;
        quoteStart = index;
      } else if (char === '\\') {
        index++;
      } else if (/\s/.test(char)) {
        break;
      }
      index++;
    }
    if (quote !== undefined) return { tokens, unclosedQuoteCol: quoteStart + 1 };
    tokens.push({ raw: line.slice(start, index), col: start + 1 });
  }
  return { tokens };
}

/** Removes shell-style quoting: 'single' verbatim, "double" and bare with backslash escapes. */
export function unquote(raw: string): string {
  let text = '';
  let quote: string | undefined;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else text += char;
    } else if (char === '\\' && index + 1 < raw.length) {
      text += raw[++index];
    } else if (quote === '"' && char === '"') {
      quote = undefined;
    } else if (quote === undefined && (char === '"' || char === "'")) {
      quote = char;
    } else {
      text += char;
    }
  }
  return text;
}

/** Drops a trailing ` # comment` outside quotes from a [g:vars] line. */
export function stripTrailingComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote !== undefined) {
      if (char === '\\' && quote === '"') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (index === 0 || /\s/.test(line[index - 1]!))) {
      return line.slice(0, index).trimEnd();
    }
  }
  return line;
}
