import { resolve } from 'node:path';
import { parse } from 'yaml';
import { RackplayError } from '../errors.js';
import { isMapping } from '../load/values.js';
import { loadVarsFile } from '../load/vars-file.js';

/** -e k=v (strings, as in Ansible), -e @file.yml, or -e '{"k": 1}' / -e 'k: 1' (typed). */
export async function parseExtraVars(args: readonly string[]): Promise<{ vars: Record<string, unknown>; problems: RackplayError[] }> {
  const vars: Record<string, unknown> = {};
  const problems: RackplayError[] = [];
  for (const arg of args) {
    if (arg.startsWith('@')) {
      const loaded = await loadVarsFile(resolve(arg.slice(1)));
      problems.push(...loaded.problems);
      Object.assign(vars, loaded.vars);
    } else if (/^\s*[{]/.test(arg) || /^[A-Za-z_][A-Za-z0-9_]*:\s/.test(arg)) {
      const parsed: unknown = parse(arg);
      if (isMapping(parsed)) Object.assign(vars, parsed);
      else problems.push(new RackplayError('E_BAD_OPTION', `-e ${arg}: not a mapping`));
    } else {
      for (const pair of splitPairs(arg)) {
        const equals = pair.indexOf('=');
        if (equals <= 0) {
          problems.push(new RackplayError('E_BAD_OPTION', `-e ${arg}: expected key=value, @file or a YAML/JSON mapping`));
          continue;
        }
        vars[pair.slice(0, equals)] = pair.slice(equals + 1);
      }
    }
  }
  return { vars, problems };
}

/** `a=1 b='x y'`: several pairs in one -e, quotes honoured. */
function splitPairs(text: string): string[] {
  const pairs: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") quote = char;
    else if (/\s/.test(char)) {
      if (current !== '') pairs.push(current);
      current = '';
    } else current += char;
  }
  if (current !== '') pairs.push(current);
  return pairs;
}
