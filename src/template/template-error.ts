import type { AstLocation } from './ast.js';

export type TemplateErrorCode = 'E_UNDEFINED_VARIABLE' | 'E_TEMPLATE_SYNTAX' | 'E_TEMPLATE';

/** 1-based line and column within the template string. */
export interface TemplatePosition {
  readonly line: number;
  readonly column: number;
}

export interface TemplateErrorDetails {
  readonly variable?: string;
  readonly position?: TemplatePosition;
  readonly cause?: unknown;
}

export class TemplateError extends Error {
  readonly variable?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    details: TemplateErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TemplateError';
    if (details.variable !== undefined) this.variable = details.variable;
    if (details.position !== undefined) {
      this.line = details.position.line;
      this.column = details.position.column;
    }
  }

  /** The same error for a template that was embedded in a larger one (a bare condition wrapped in `{{ }}`). */
  shifted(firstLineColumns: number): TemplateError {
    if (this.line !== 1 || this.column === undefined) return this;
    const position = { line: 1, column: Math.max(1, this.column + firstLineColumns) };
    return new TemplateError(this.code, this.message, { variable: this.variable, position, cause: this.cause });
  }
}

/** Handlebars lines are 1-based but its columns are 0-based. */
export function positionOf(loc: AstLocation | undefined): TemplatePosition | undefined {
  return loc === undefined ? undefined : { line: loc.start.line, column: loc.start.column + 1 };
}

export function undefinedVariable(name: string, loc: AstLocation | undefined, cause?: unknown): TemplateError {
  return new TemplateError('E_UNDEFINED_VARIABLE', `undefined variable '${name}'`, { variable: name, position: positionOf(loc), cause });
}
