import type { ProgramNode } from './ast.js';
import { handlebars } from './environment.js';
import { syntaxErrorFromException, syntaxErrorFromParser } from './syntax-error.js';

/**
 * Parses without Handlebars' whitespace control: compile() applies it once to the rewritten tree,
 * and applying it twice would strip standalone lines twice.
 */
export function parseTemplate(source: string): ProgramNode {
  try {
    return handlebars.parseWithoutProcessing(source) as unknown as ProgramNode;
  } catch (error) {
    if (error instanceof handlebars.Exception) throw syntaxErrorFromException(error);
    throw syntaxErrorFromParser(error as Error, source);
  }
}
