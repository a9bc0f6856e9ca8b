import { pythonLiteral } from './python-literal.js';

/**
 * The value of an INI `key=value`, as Ansible's INI plugin makes it: Python's `ast.literal_eval` of the
 * text, or the text itself when that fails. So `22` is a number and `'22'` too once the shell-style
 * quotes of a host line are gone, `true` and `yes` stay strings (only `True`/`False` are booleans),
 * `0644` stays a string (Python 3 refuses the leading zero), and `"{ 'root': 'HDD' }"` is a mapping.
 * Host lines pass their words through shlexWord first; [group:vars] lines pass the raw text.
 */
export function parseIniValue(text: string): unknown {
  const literal = pythonLiteral(text);
  return literal === undefined ? text : literal.value;
}
