/**
 * The subset of the Handlebars AST that rackplay reads and builds. Handlebars' own typings give every
 * statement the same loose shape, which cannot be narrowed on `type`; this union can.
 */
export interface AstPosition {
  readonly line: number;
  /** 0-based, as Handlebars reports it. */
  readonly column: number;
}

export interface AstLocation {
  readonly start: AstPosition;
  readonly end: AstPosition;
}

interface Located {
  readonly loc?: AstLocation;
}

export interface ProgramNode extends Located {
  readonly type: 'Program';
  readonly body: readonly StatementNode[];
  readonly blockParams?: readonly string[];
}

export interface MustacheNode extends Located {
  readonly type: 'MustacheStatement';
  readonly path: ExpressionNode;
  readonly params: readonly ExpressionNode[];
  readonly hash?: HashNode;
  readonly escaped: boolean;
  readonly strip?: unknown;
}

export interface BlockNode extends Located {
  readonly type: 'BlockStatement';
  readonly path: ExpressionNode;
  readonly params: readonly ExpressionNode[];
  readonly hash?: HashNode;
  readonly program?: ProgramNode;
  readonly inverse?: ProgramNode;
}

export interface ContentNode extends Located {
  readonly type: 'ContentStatement';
  readonly value: string;
}

/** Partials, decorators and comments: rackplay leaves them as Handlebars parsed them, apart from their bodies. */
export interface OtherStatementNode extends Located {
  readonly type: 'CommentStatement' | 'PartialStatement' | 'PartialBlockStatement' | 'Decorator' | 'DecoratorBlock';
  readonly program?: ProgramNode;
}

export type StatementNode = MustacheNode | BlockNode | ContentNode | OtherStatementNode;

export interface PathNode extends Located {
  readonly type: 'PathExpression';
  readonly data: boolean;
  readonly depth: number;
  readonly parts: readonly string[];
  readonly original: string;
}

export interface SubExpressionNode extends Located {
  readonly type: 'SubExpression';
  readonly path: ExpressionNode;
  readonly params: readonly ExpressionNode[];
  readonly hash?: HashNode;
}

export interface LiteralNode extends Located {
  readonly type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'UndefinedLiteral' | 'NullLiteral';
  readonly value?: string | number | boolean;
  readonly original?: string | number | boolean;
}

export type ExpressionNode = PathNode | SubExpressionNode | LiteralNode;

export interface HashNode extends Located {
  readonly type: 'Hash';
  readonly pairs: readonly { readonly type: 'HashPair'; readonly key: string; readonly value: ExpressionNode; readonly loc?: AstLocation }[];
}

/** A call passes arguments: Handlebars then treats the head as a helper, never as a variable. */
export function hasArguments(node: { readonly params: readonly unknown[]; readonly hash?: HashNode }): boolean {
  return node.params.length > 0 || (node.hash !== undefined && node.hash.pairs.length > 0);
}

/** `this.x`, `./x` and `.` resolve on the context only, never on block params or helpers (Handlebars' scopedId). */
export function isScoped(path: PathNode): boolean {
  return /^\.|this\b/.test(path.original);
}

/** The single plain name of a path (`json`, `item`), or undefined for data, scoped, parent or dotted paths. */
export function simpleName(node: ExpressionNode): string | undefined {
  if (node.type !== 'PathExpression' || node.data || node.depth !== 0 || node.parts.length !== 1 || isScoped(node)) return undefined;
  return node.parts[0];
}

export function pathNode(name: string, loc: AstLocation | undefined): PathNode {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

export function stringNode(value: string, loc: AstLocation | undefined): LiteralNode {
  return { type: 'StringLiteral', value, original: value, loc };
}

export function callNode(helper: string, params: readonly ExpressionNode[], loc: AstLocation | undefined): SubExpressionNode {
  return { type: 'SubExpression', path: pathNode(helper, loc), params, loc };
}
