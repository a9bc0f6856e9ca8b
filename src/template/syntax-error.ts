import { TemplateError, type TemplatePosition } from './template-error.js';

/**
 * Handlebars' parser (jison) throws a bare Error whose only position is a drawing: an excerpt of at most
 * 20 characters before the offending token, then a caret under it. This turns it back into a line and
 * column, and the token list into a message a playbook author can act on.
 */
export function syntaxErrorFromParser(error: Error, source: string): TemplateError {
  const offset = offsetFromDrawing(error.message, source);
  const unclosed = offset === undefined ? undefined : unclosedMustache(source, offset);
  if (unclosed !== undefined) {
    return new TemplateError('E_TEMPLATE_SYNTAX', `unclosed '{{' (expecting '}}')`, { position: positionAt(source, unclosed), cause: error });
  }
  const position = offset === undefined ? undefined : positionAt(source, offset);
  return new TemplateError('E_TEMPLATE_SYNTAX', describe(error.message, source, offset), { position, cause: error });
}

/** Handlebars' own checks after parsing (`if doesn't match each - 1:3`) carry a location already. */
export function syntaxErrorFromException(error: Error & { lineNumber?: number; column?: number }): TemplateError {
  const message = error.message.replace(/ - \d+:\d+$/, '');
  const position = error.lineNumber === undefined || error.column === undefined ? undefined : { line: error.lineNumber, column: error.column + 1 };
  return new TemplateError('E_TEMPLATE_SYNTAX', message, { position, cause: error });
}

export function positionAt(source: string, offset: number): TemplatePosition {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function offsetFromDrawing(message: string, source: string): number | undefined {
  const [first = '', excerpt, caret] = message.split('\n');
  if (excerpt === undefined || caret === undefined || !/^-*\^$/.test(caret)) return undefined;
  const drawn = excerpt.slice(0, caret.length - 1);
  const reportedLine = Number(/line (\d+)/.exec(first)?.[1]);
  let best: number | undefined;
  for (let offset = 0; offset <= source.length; offset++) {
    if (pastInput(source, offset) !== drawn) continue;
    if (positionAt(source, offset).line === reportedLine) return offset;
    best = offset;
  }
  return best;
}

/** jison's pastInput(): the last 20 characters before the token, newlines removed, '...' if cut. */
function pastInput(source: string, offset: number): string {
  return (offset > 20 ? '...' : '') + source.slice(Math.max(0, offset - 20), offset).replace(/\n/g, '');
}

/** The offset of a `{{` that is never closed, when the error lies after it. */
function unclosedMustache(source: string, offset: number): number | undefined {
  const open = source.lastIndexOf('{{', Math.max(0, offset - 1));
  if (open === -1 || source.indexOf('}}', open) !== -1) return undefined;
  return open;
}

const MAX_EXPECTED = 3;

const TOKEN_NAMES: Readonly<Record<string, string>> = {
  CLOSE: "'}}'",
  CLOSE_UNESCAPED: "'}}}'",
  CLOSE_SEXPR: "')'",
  OPEN_SEXPR: "'('",
  OPEN_ENDBLOCK: "'{{/'",
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  DATA: 'an @name',
  EQUALS: "'='",
  SEP: "'.'",
  OPEN_BLOCK_PARAMS: "'as |'",
  CLOSE_BLOCK_PARAMS: "'|'",
  EOF: 'the end of the template',
};

function describe(message: string, source: string, offset: number | undefined): string {
  if (message.startsWith('Lexical error')) return `unrecognised text${quoteAt(source, offset)}`;
  const got = /got '([^']+)'$/.exec(message)?.[1];
  const expecting = /Expecting (.*), got/.exec(message)?.[1] ?? '';
  const names = [...new Set([...expecting.matchAll(/'([^']+)'/g)].map((match) => TOKEN_NAMES[match[1] as string]).filter((name) => name !== undefined))];
  const found =
    got === 'EOF' ? TOKEN_NAMES.EOF : got !== undefined && Object.hasOwn(TOKEN_NAMES, got) ? TOKEN_NAMES[got] : `text${quoteAt(source, offset)}`;
  // Where nearly any token would do, the list says nothing the position does not.
  if (names.length > 0 && names.length <= MAX_EXPECTED) return `expecting ${names.join(' or ')}, found ${found}`;
  return got === 'EOF' ? 'the template ends too early' : `${found} is not allowed here`;
}

function quoteAt(source: string, offset: number | undefined): string {
  if (offset === undefined || offset >= source.length) return '';
  const text = /^\S{1,20}/.exec(source.slice(offset))?.[0] ?? source.slice(offset, offset + 1);
  return ` '${text}'`;
}
