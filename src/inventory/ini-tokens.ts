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

/**
 * One word as Python's shlex (posix) leaves it, which is what Ansible's INI plugin sees: 'single'
 * quotes verbatim; inside "double" quotes a backslash escapes only `"` and `\\`; outside quotes it
 * escapes any character.
 */
export function shlexWord(raw: string): string {
  let text = '';
  let quote: string | undefined;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else text += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (raw[index + 1] === '"' || raw[index + 1] === '\\')) text += raw[++index];
      else text += char;
    } else if (char === '\\' && index + 1 < raw.length) {
      text += raw[++index];
    } else if (char === '"' || char === "'") {
      quote = char;
    } else {
      text += char;
    }
  }
  return text;
}
