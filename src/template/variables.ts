import { hasArguments, isScoped, simpleName, type ExpressionNode, type HashNode, type PathNode, type ProgramNode, type StatementNode } from './ast.js';
import { asTemplate, withColumnsOf } from './bare.js';
import { OPTIONAL_FIRST_ARGUMENT } from './data-helpers.js';
import { isHelperName } from './environment.js';
import { parseTemplate } from './parse.js';
import { TemplateError, positionOf } from './template-error.js';

/** Block helpers whose body runs against a new context, so that names inside resolve relative to it. */
const CONTEXT_CHANGING = new Set(['each', 'with']);

/**
 * The root variables a template reads (`a.b.c` reads `a`), for validation before any host runs.
 * Not counted: the first argument of `default`/`defined` (the explicit opt-out), helper names, `this`,
 * `@data`, block params, and names that resolve against an `#each`/`#with` context.
 * Throws TemplateError on bad syntax and on calls to unknown helpers. With `bare`, a string without
 * `{{` is read as a condition and wrapped in `{{ }}` first.
 */
export function templateVariables(source: string, options: { bare?: boolean } = {}): string[] {
  const { source: template, shift } = options.bare === true ? asTemplate(source) : { source, shift: 0 };
  return withColumnsOf(shift, () => {
    const names = new Set<string>();
    new Collector(names).program(parseTemplate(template), { contexts: [true], blockParams: [] });
    return [...names];
  });
}

interface Scope {
  /** One entry per context from the root, innermost last: true where the context is the variables themselves. */
  readonly contexts: readonly boolean[];
  readonly blockParams: readonly string[];
}

class Collector {
  constructor(private readonly names: Set<string>) {}

  program(program: ProgramNode, scope: Scope): void {
    for (const statement of program.body) this.statement(statement, scope);
  }

  private statement(statement: StatementNode, scope: Scope): void {
    switch (statement.type) {
      case 'MustacheStatement':
        if (hasArguments(statement) || this.isHelper(statement.path, scope)) this.call(statement.path, statement.params, statement.hash, scope);
        else this.value(statement.path, scope);
        return;
      case 'BlockStatement': {
        let inner: Scope;
        if (hasArguments(statement)) {
          const name = this.call(statement.path, statement.params, statement.hash, scope);
          inner = CONTEXT_CHANGING.has(name) ? enter(scope) : scope;
        } else {
          // `{{#items}}…{{/items}}`: a section iterates or descends into the variable.
          if (!this.isHelper(statement.path, scope)) this.value(statement.path, scope);
          inner = this.isHelper(statement.path, scope) ? scope : enter(scope);
        }
        const blockParams = statement.program?.blockParams ?? [];
        if (statement.program !== undefined) this.program(statement.program, { ...inner, blockParams: [...inner.blockParams, ...blockParams] });
        if (statement.inverse !== undefined) this.program(statement.inverse, scope);
        return;
      }
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
        if (statement.program !== undefined) this.program(statement.program, scope);
        return;
      default:
        return;
    }
  }

  /** Records the arguments of a helper call and returns the helper's name. */
  private call(head: ExpressionNode, params: readonly ExpressionNode[], hash: HashNode | undefined, scope: Scope): string {
    const name = simpleName(head);
    if (name === undefined || !this.isHelper(head, scope)) {
      const shown = head.type === 'PathExpression' ? head.original : head.type;
      throw new TemplateError('E_TEMPLATE', `unknown helper '${shown}'`, { position: positionOf(head.loc) });
    }
    params.forEach((param, index) => {
      if (index === 0 && OPTIONAL_FIRST_ARGUMENT.has(name) && param.type === 'PathExpression') return;
      this.value(param, scope);
    });
    for (const pair of hash?.pairs ?? []) this.value(pair.value, scope);
    return name;
  }

  private value(expression: ExpressionNode, scope: Scope): void {
    if (expression.type === 'PathExpression') this.path(expression, scope);
    else if (expression.type === 'SubExpression') {
      if (!hasArguments(expression) && !this.isHelper(expression.path, scope)) this.value(expression.path, scope);
      else this.call(expression.path, expression.params, expression.hash, scope);
    }
  }

  private path(path: PathNode, scope: Scope): void {
    const [head] = path.parts;
    if (head === undefined || path.data) return;
    if (path.depth === 0 && !isScoped(path) && scope.blockParams.includes(head)) return;
    if (scope.contexts[scope.contexts.length - 1 - path.depth] === true) this.names.add(head);
  }

  private isHelper(head: ExpressionNode, scope: Scope): boolean {
    const name = simpleName(head);
    return name !== undefined && !scope.blockParams.includes(name) && isHelperName(name);
  }
}

function enter(scope: Scope): Scope {
  return { ...scope, contexts: [...scope.contexts, false] };
}
