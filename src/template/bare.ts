import { isTemplate } from './render.js';
import { TemplateError } from './template-error.js';

const OPEN = '{{';

/** YAML 1.1 booleans, which Ansible users write as bare conditions (`when: no`) and YAML 1.2 leaves as strings. */
const BOOLEAN_WORDS: Readonly<Record<string, string>> = { true: 'true', yes: 'true', on: 'true', false: 'false', no: 'false', off: 'false' };

/** A bare condition (`eq os 'debian'`) as the template it stands for; strings with `{{` already are one. */
export function asTemplate(condition: string): { source: string; shift: number } {
  if (isTemplate(condition)) return { source: condition, shift: 0 };
  const word = BOOLEAN_WORDS[condition.trim().toLowerCase()];
  return { source: `${OPEN}${word ?? condition}}}`, shift: -OPEN.length };
}

/** Runs `body`, reporting error columns against the condition as written rather than its wrapped form. */
export function withColumnsOf<T>(shift: number, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (shift !== 0 && error instanceof TemplateError) throw error.shifted(shift);
    throw error;
  }
}
