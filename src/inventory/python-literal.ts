/**
 * Python's `ast.literal_eval`, for the values of INI inventories: Ansible runs it on every `key=value`
 * and keeps the text when it fails. Numbers (decimal, 0x/0o/0b, underscores, floats), strings (with
 * prefixes r/u/b, escapes and implicit concatenation), True/False/None, lists, tuples, dicts and sets,
 * unary +/-; comments and blank space between tokens. Anything else is "not a literal": undefined.
 */
export function pythonLiteral(text: string): { value: unknown } | undefined {
  const parser = new LiteralParser(text);
  try {
    const value = parser.expression();
    parser.skipSpace();
    return parser.atEnd() ? { value } : undefined;
  } catch (error) {
    if (error instanceof NotALiteral) return undefined;
    throw error;
  }
}

class NotALiteral extends Error {}

const DIGITS = { 16: /[0-9a-fA-F]/, 8: /[0-7]/, 2: /[01]/ } as const;

class LiteralParser {
  private index = 0;
  /** Nesting guard: literal_eval itself gives up on deeply nested input. */
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.index >= this.text.length;
  }

  skipSpace(): void {
    for (;;) {
      while (!this.atEnd() && /[ \t\f\r\n]/.test(this.text[this.index]!)) this.index++;
      if (this.text[this.index] !== '#') return;
      while (!this.atEnd() && this.text[this.index] !== '\n') this.index++;
    }
  }

  expression(): unknown {
    this.skipSpace();
    if (++this.depth > 100) throw new NotALiteral();
    try {
      return this.atom();
    } finally {
      this.depth--;
    }
  }

  private atom(): unknown {
    const char = this.text[this.index];
    if (char === undefined) throw new NotALiteral();
    if (char === '[') return this.sequence('[', ']');
    if (char === '(') return this.tuple();
    if (char === '{') return this.braces();
    if (char === '-' || char === '+') {
      this.index++;
      this.skipSpace();
      const value = this.atom();
      if (typeof value !== 'number') throw new NotALiteral();
      return char === '-' ? -value : value;
    }
    if (/[0-9.]/.test(char)) return this.number();
    if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.index))![0];
      if (/^(?:[rRuUbB]|[rR][bB]|[bB][rR])$/.test(word) && /['"]/.test(this.text[this.index + word.length] ?? '')) return this.strings();
      this.index += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      throw new NotALiteral();
    }
    if (char === '"' || char === "'") return this.strings();
    throw new NotALiteral();
  }

  private sequence(open: string, close: string): unknown[] {
    this.index += open.length;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] === close) {
        this.index++;
        return items;
      }
      items.push(this.expression());
      this.skipSpace();
      if (this.text[this.index] === ',') this.index++;
      else if (this.text[this.index] !== close) throw new NotALiteral();
    }
  }

  /** `(a)` is just a; `(a,)`, `(a, b)` and `()` are tuples, which become lists. */
  private tuple(): unknown {
    this.index++;
    this.skipSpace();
    if (this.text[this.index] === ')') {
      this.index++;
      return [];
    }
    const first = this.expression();
    this.skipSpace();
    if (this.text[this.index] === ')') {
      this.index++;
      return first;
    }
    if (this.text[this.index] !== ',') throw new NotALiteral();
    this.index++;
    const rest = this.sequence('', ')');
    return [first, ...rest];
  }

  /** A dict, or a set (which becomes a list); `{}` is an empty dict. */
  private braces(): unknown {
    this.index++;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index++;
      return {};
    }
    const first = this.expression();
    this.skipSpace();
    if (this.text[this.index] !== ':') {
      const items = [first];
      if (this.text[this.index] === ',') {
        this.index++;
        items.push(...this.sequence('', '}'));
      } else if (this.text[this.index] === '}') this.index++;
      else throw new NotALiteral();
      return [...new Set(items)];
    }
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.index++; // the ':'
      if (key !== null && typeof key === 'object') throw new NotALiteral(); // unhashable
      dict[String(key)] = this.expression();
      this.skipSpace();
      if (this.text[this.index] === ',') {
        this.index++;
        this.skipSpace();
      }
      if (this.text[this.index] === '}') {
        this.index++;
        return dict;
      }
      key = this.expression();
      this.skipSpace();
      if (this.text[this.index] !== ':') throw new NotALiteral();
    }
  }

  private number(): number {
    const rest = this.text.slice(this.index);
    const prefixed = /^0([xXoObB])((?:_?[0-9a-zA-Z])+)/.exec(rest);
    if (prefixed !== null) {
      const base = { x: 16, o: 8, b: 2 }[prefixed[1]!.toLowerCase() as 'x' | 'o' | 'b'] as 16 | 8 | 2;
      const digits = prefixed[2]!.replaceAll('_', '');
      if (![...digits].every((digit) => DIGITS[base].test(digit))) throw new NotALiteral();
      this.index += prefixed[0].length;
      this.noTrailingName();
      return parseInt(digits, base);
    }
    const decimal = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][-+]?\d(?:_?\d)*)?/.exec(rest)![0];
    if (decimal === '' || decimal === '.' || /^\.[eE]/.test(decimal)) throw new NotALiteral();
    // Python 3 refuses leading zeros in a decimal integer (0644): a SyntaxError, so the text stays.
    if (/^0\d/.test(decimal.replaceAll('_', '')) && !/[.eE]/.test(decimal)) throw new NotALiteral();
    this.index += decimal.length;
    if (/^[jJ]/.test(this.text.slice(this.index))) throw new NotALiteral(); // complex: no JSON form
    this.noTrailingName();
    return Number(decimal.replaceAll('_', ''));
  }

  private noTrailingName(): void {
    if (/[A-Za-z0-9_]/.test(this.text[this.index] ?? '')) throw new NotALiteral();
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  private strings(): string {
    let value = '';
    for (;;) {
      value += this.string();
      this.skipSpace();
      const next = this.text.slice(this.index);
      if (!/^(?:[rRuUbB]|[rR][bB]|[bB][rR])?['"]/.test(next)) return value;
    }
  }

  private string(): string {
    const prefix = /^[rRuUbB]{0,2}/.exec(this.text.slice(this.index))![0];
    const raw = /r/i.test(prefix);
    this.index += prefix.length;
    const quote = this.text.startsWith(this.text[this.index]!.repeat(3), this.index) ? this.text[this.index]!.repeat(3) : this.text[this.index]!;
    this.index += quote.length;
    let value = '';
    for (;;) {
      if (this.atEnd()) throw new NotALiteral();
      if (this.text.startsWith(quote, this.index)) {
        this.index += quote.length;
        return value;
      }
      const char = this.text[this.index]!;
      if (char === '\n' && quote.length === 1) throw new NotALiteral();
      if (char !== '\\') {
        value += char;
        this.index++;
        continue;
      }
      const next = this.text[this.index + 1];
      if (next === undefined) throw new NotALiteral();
      if (raw) {
        value += char + next;
        this.index += 2;
        continue;
      }
      this.index += 2;
      value += this.escape(next);
    }
  }

  private escape(next: string): string {
    const simple: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (next in simple) return simple[next]!;
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{0,2}/.exec(this.text.slice(this.index))![0];
      this.index += octal.length;
      return String.fromCharCode(parseInt(next + octal, 8));
    }
    const width = { x: 2, u: 4, U: 8 }[next];
    if (width !== undefined) {
      const hex = this.text.slice(this.index, this.index + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new NotALiteral();
      this.index += width;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    // An unknown escape keeps its backslash, as Python does (with a warning).
    return `\\${next}`;
  }
}
