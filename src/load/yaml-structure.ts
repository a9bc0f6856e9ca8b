import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { RackplayError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** Deeper than any real playbook or vars file; deep enough that nothing later runs out of stack. */
export const MAX_YAML_DEPTH = 100;

/**
 * One iterative pass over a parsed document: duplicate keys (the yaml library's own check compares every
 * key with every other, 17 s for a 50,000-key mapping), nesting beyond MAX_YAML_DEPTH, and aliases whose
 * anchor is not defined. Iterative, so a hostile depth cannot overflow the stack here either.
 * `quiet` leaves key and alias names out of messages (decrypted vault text must never be printed).
 */
export function structureProblems(doc: Document, file: string, lineCounter: LineCounter, quiet: boolean): RackplayError[] {
  const problems: RackplayError[] = [];
  const at = (code: ErrorCode, message: string, offset: number | undefined): void => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    problems.push(new RackplayError(code, message, { file, line, col }));
  };
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node)) {
      if (node.resolve(doc) === undefined) at('E_YAML_ALIAS', quiet ? 'alias to an undefined anchor' : `alias *${node.source} has no anchor &${node.source} before it`, node.range?.[0]);
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_YAML_DEPTH) {
      at('E_YAML_DEPTH', `nested more than ${MAX_YAML_DEPTH} levels deep`, (node as Node).range?.[0]);
      return problems;
    }
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        const merge = isScalar(key) && isMergeKey(key.value);
        if (merge && !mergesMappings(pair.value, doc)) {
          at('E_YAML_SYNTAX', 'a merge key (<<) takes a mapping, an alias of one, or a list of those', key.range?.[0]);
        } else if (isScalar(key) && !merge) {
          if (seen.has(key.value)) at('E_DUPLICATE_KEY', quiet ? 'duplicate key' : `duplicate key '${String(key.value)}'`, key.range?.[0]);
          seen.add(key.value);
        } else if (key !== null && typeof key === 'object') stack.push({ node: key, depth: depth + 1 });
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return problems.sort((a, b) => a.position!.line - b.position!.line || a.position!.col - b.position!.col);
}

/** What YAML's merge key accepts; anything else makes the yaml library throw while converting. */
function mergesMappings(value: unknown, doc: Document): boolean {
  const isMapping = (node: unknown): boolean => isMap(node) || (isAlias(node) && isMap(node.resolve(doc)));
  return isMapping(value) || (isSeq(value) && value.items.every(isMapping));
}

/** With merge on, yaml gives `<<` keys the value Symbol(<<); a quoted '<<' is an ordinary key. */
function isMergeKey(value: unknown): boolean {
  return typeof value === 'symbol' && value.description === '<<';
}
