import type { MustacheNode, PathNode, ProgramNode } from './ast.js';
import type { CompiledTemplate } from './compile.js';
import { isHelperName } from './environment.js';
import { formatValue } from './format.js';
import { resolvePath } from './lookup.js';
import { undefinedVariable } from './template-error.js';

type Piece = string | MustacheNode & { readonly path: PathNode };

/**
 * Most templates in a playbook are text and plain variables (`/srv/{{app}}/{{version}}`). Handlebars
 * re-wraps every registered helper on each top-level render, about 2µs however small the template; these
 * templates are rendered here instead, with the same reads, errors and formatting as the rewritten
 * Handlebars template would produce. Undefined for anything else.
 */
export function directTemplate(program: ProgramNode): CompiledTemplate | undefined {
  const pieces: Piece[] = [];
  for (const statement of program.body) {
    if (statement.type === 'ContentStatement') pieces.push(statement.value);
    else if (statement.type === 'MustacheStatement' && isPlainRead(statement)) pieces.push(statement as Piece);
    else return undefined;
  }
  const reads = pieces.filter((piece) => typeof piece !== 'string');
  const lone = reads.length === 1 && pieces.every((piece) => typeof piece !== 'string' || piece.trim() === '') ? reads[0] : undefined;
  return {
    text: (vars) => {
      let text = '';
      for (const piece of pieces) text += typeof piece === 'string' ? piece : formatValue(read(vars, piece));
      return text;
    },
    native: lone === undefined ? undefined : (vars) => read(vars, lone),
  };
}

/** `{{a.b}}`: a variable of the root context, no helper, no whitespace control, no `this`/`@`/`../`. */
function isPlainRead(mustache: MustacheNode): boolean {
  const path = mustache.path;
  if (mustache.params.length > 0 || mustache.hash !== undefined || path.type !== 'PathExpression') return false;
  if (path.data || path.depth !== 0 || path.parts.length === 0 || /^\.|this\b/.test(path.original)) return false;
  const strip = mustache.strip as { open?: boolean; close?: boolean } | undefined;
  if (strip?.open === true || strip?.close === true) return false;
  return !(path.parts.length === 1 && isHelperName(path.parts[0] as string));
}

function read(vars: Record<string, unknown>, mustache: Piece & object): unknown {
  const resolution = resolvePath(vars, mustache.path.parts);
  if (resolution.found) return resolution.value;
  throw undefinedVariable(mustache.path.parts.slice(0, resolution.missingAt + 1).join('.'), mustache.path.loc);
}
