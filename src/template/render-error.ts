import { handlebars } from './environment.js';
import { TemplateError, undefinedVariable } from './template-error.js';

interface HandlebarsException extends Error {
  lineNumber?: number;
  column?: number;
  endLineNumber?: number;
  endColumn?: number;
}

/**
 * Any failure while rendering, as a TemplateError. rackplay's own reads throw TemplateErrors already;
 * what remains is Handlebars' strict mode (sections such as `{{#items}}`), missing partials, and
 * errors thrown by lazily computed variables.
 */
export function toTemplateError(error: unknown, source: string): TemplateError {
  if (error instanceof TemplateError) return error;
  if (error instanceof handlebars.Exception) return fromException(error as HandlebarsException, source);
  const message = error instanceof Error ? error.message : String(error);
  return new TemplateError('E_TEMPLATE', message, { cause: error });
}

function fromException(error: HandlebarsException, source: string): TemplateError {
  const loc =
    error.lineNumber === undefined || error.column === undefined
      ? undefined
      : {
          start: { line: error.lineNumber, column: error.column },
          end: { line: error.endLineNumber ?? error.lineNumber, column: error.endColumn ?? error.column },
        };
  const missing = /^"(.+)" not defined in /.exec(error.message)?.[1];
  if (missing !== undefined) return undefinedVariable(loc === undefined ? missing : (textAt(source, loc) ?? missing), loc, error);
  const position = loc === undefined ? undefined : { line: loc.start.line, column: loc.start.column + 1 };
  return new TemplateError('E_TEMPLATE', error.message.replace(/ - \d+:\d+$/, ''), { position, cause: error });
}

/** The source text of a one-line location: Handlebars names only the last segment of `a.b.c`. */
function textAt(source: string, loc: { start: { line: number; column: number }; end: { line: number; column: number } }): string | undefined {
  if (loc.start.line !== loc.end.line) return undefined;
  const line = source.split('\n')[loc.start.line - 1];
  const text = line?.slice(loc.start.column, loc.end.column).trim();
  return text === undefined || text === '' ? undefined : text;
}
