import {
  callNode,
  hasArguments,
  isScoped,
  pathNode,
  simpleName,
  stringNode,
  type AstLocation,
  type BlockNode,
  type ExpressionNode,
  type HashNode,
  type MustacheNode,
  type PathNode,
  type ProgramNode,
  type StatementNode,
} from './ast.js';
import { OPTIONAL_FIRST_ARGUMENT } from './data-helpers.js';
import { isHelperName } from './environment.js';
import { CAPTURE_HELPER, FORMAT_HELPER, OPTIONAL_HELPER, VAR_HELPER } from './internal-helpers.js';
import { TemplateError, positionOf } from './template-error.js';

/**
 * Rewrites a parsed template so that rackplay, not Handlebars, decides how variables are read and printed:
 * - every variable read becomes `(__rackplay_var base "prefix" "a" "b")`: strict everywhere (Handlebars'
 *   strict mode skips helper arguments and crashes on `a.b` when `a` is missing) and the error names the
 *   whole dotted path;
 * - the first argument of `default`/`defined` reads through `__rackplay_optional` instead, so it may be missing;
 * - every mustache prints through `__rackplay_format`, so lists and objects print as JSON.
 * Calls to names that are not helpers are rejected here, before anything renders.
 */
export function rewriteForText(program: ProgramNode): ProgramNode {
  return new Rewriter().program(program);
}

/**
 * For a template that is one mustache and nothing else (whitespace aside), a program that stores the
 * expression's value through `__rackplay_capture`; undefined for any other template.
 */
export function rewriteForCapture(program: ProgramNode): ProgramNode | undefined {
  const significant = program.body.filter((statement) => !(statement.type === 'ContentStatement' && statement.value.trim() === ''));
  const lone = significant[0];
  if (significant.length !== 1 || lone?.type !== 'MustacheStatement') return undefined;
  const capture: MustacheNode = {
    type: 'MustacheStatement',
    path: pathNode(CAPTURE_HELPER, lone.loc),
    params: [new Rewriter().mustacheValue(lone)],
    escaped: false,
    strip: { open: false, close: false },
    loc: lone.loc,
  };
  return { type: 'Program', body: [capture], blockParams: program.blockParams, loc: program.loc };
}

class Rewriter {
  /** Block params visible at this point, innermost last. */
  private readonly blockParams: string[] = [];

  program(program: ProgramNode): ProgramNode {
    return { ...program, body: program.body.map((statement) => this.statement(statement)) };
  }

  /** The value a mustache stands for, as an expression: a helper call, a variable read or a literal. */
  mustacheValue(mustache: MustacheNode): ExpressionNode {
    if (hasArguments(mustache) || this.isHelper(mustache.path)) return this.call(mustache.path, mustache.params, mustache.hash, mustache.loc);
    return this.value(mustache.path);
  }

  private statement(statement: StatementNode): StatementNode {
    switch (statement.type) {
      case 'MustacheStatement':
        return { ...statement, path: pathNode(FORMAT_HELPER, statement.loc), params: [this.mustacheValue(statement)], hash: undefined };
      case 'BlockStatement':
        return this.block(statement);
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
        return statement.program === undefined ? statement : { ...statement, program: this.program(statement.program) };
      default:
        return statement;
    }
  }

  private block(block: BlockNode): BlockNode {
    // A block without arguments whose name is no helper is a section over a variable (`{{#items}}`);
    // Handlebars resolves it strictly itself.
    const call = hasArguments(block) ? this.call(block.path, block.params, block.hash, block.loc) : undefined;
    const program = block.program === undefined ? undefined : this.withBlockParams(block.program.blockParams, () => this.program(block.program as ProgramNode));
    const inverse = block.inverse === undefined ? undefined : this.program(block.inverse);
    return { ...block, params: call?.params ?? block.params, hash: call?.hash, program, inverse };
  }

  private call(head: ExpressionNode, params: readonly ExpressionNode[], hash: HashNode | undefined, loc: AstLocation | undefined) {
    const name = this.requireHelper(head, loc);
    const optionalFirst = OPTIONAL_FIRST_ARGUMENT.has(name);
    return {
      type: 'SubExpression' as const,
      path: head,
      params: params.map((param, index) => (index === 0 && optionalFirst && param.type === 'PathExpression' ? this.read(param, OPTIONAL_HELPER) : this.value(param))),
      hash: hash === undefined ? undefined : { ...hash, pairs: hash.pairs.map((pair) => ({ ...pair, value: this.value(pair.value) })) },
      loc,
    };
  }

  private value(expression: ExpressionNode): ExpressionNode {
    if (expression.type === 'PathExpression') return this.read(expression, VAR_HELPER);
    if (expression.type === 'SubExpression') {
      // `(name)` without arguments is Handlebars' helper-or-variable; decide it the same way a mustache does.
      if (!hasArguments(expression) && !this.isHelper(expression.path)) return this.value(expression.path);
      return this.call(expression.path, expression.params, expression.hash, expression.loc);
    }
    return expression;
  }

  /** A variable read through `helper`, or the path unchanged where there is nothing to check (`this`, `@index`, a block param). */
  private read(path: PathNode, helper: string): ExpressionNode {
    const [head, ...tail] = path.parts;
    if (head === undefined) return path;
    if (path.data) {
      if (tail.length === 0) return path;
      const base: PathNode = { ...path, parts: [head], original: `@${head}` };
      return callNode(helper, [base, stringNode(`@${head}.`, path.loc), ...tail.map((part) => stringNode(part, path.loc))], path.loc);
    }
    if (path.depth === 0 && !isScoped(path) && this.blockParams.includes(head)) {
      if (tail.length === 0) return path;
      const base: PathNode = { ...path, parts: [head], original: head };
      return callNode(helper, [base, stringNode(`${head}.`, path.loc), ...tail.map((part) => stringNode(part, path.loc))], path.loc);
    }
    const parent = '../'.repeat(path.depth);
    const context: PathNode = { ...path, parts: [], original: path.depth === 0 ? 'this' : parent.slice(0, -1) };
    return callNode(helper, [context, stringNode(parent, path.loc), ...path.parts.map((part) => stringNode(part, path.loc))], path.loc);
  }

  private isHelper(head: ExpressionNode): boolean {
    const name = simpleName(head);
    return name !== undefined && !this.blockParams.includes(name) && isHelperName(name);
  }

  private requireHelper(head: ExpressionNode, loc: AstLocation | undefined): string {
    if (this.isHelper(head)) return simpleName(head) as string;
    const shown = head.type === 'PathExpression' ? head.original : String((head as { original?: unknown }).original ?? head.type);
    throw new TemplateError('E_TEMPLATE', `unknown helper '${shown}'`, { position: positionOf(head.loc ?? loc) });
  }

  private withBlockParams<T>(names: readonly string[] | undefined, body: () => T): T {
    const count = names?.length ?? 0;
    if (names !== undefined) this.blockParams.push(...names);
    try {
      return body();
    } finally {
      this.blockParams.length -= count;
    }
  }
}
