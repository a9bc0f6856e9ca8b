/**
 * Users bring Python regular expressions from Ansible, and lineinfile matches them against bytes.
 * Lines are therefore held as byte strings (latin1: one char per byte) and patterns are translated
 * to the JavaScript equivalent of Python's bytes regex.
 */

const PYTHON_WHITESPACE = ' \\t\\n\\r\\f\\v';

/** UTF-8 text as a byte string, to match and splice with a pattern compiled by `pythonRegex`. */
export function toByteString(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function fromByteString(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/**
 * Compiles a Python pattern: `(?P<name>…)` and `(?P=name)` become JavaScript's named groups, leading
 * inline flags `(?i)` become flags, and `\s` keeps its ASCII meaning (JavaScript's would also match
 * bytes 0x85 and 0xA0, which occur inside UTF-8 characters).
 */
export function pythonRegex(pattern: string): RegExp {
  let flags = '';
  let source = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline !== null) {
    for (const flag of inline[1]!) if ('ims'.includes(flag) && !flags.includes(flag)) flags += flag;
    source = source.slice(inline[0].length);
  }
  return new RegExp(translate(source), flags);
}

function translate(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      i++;
      if (next === 's') out += inClass ? PYTHON_WHITESPACE : `[${PYTHON_WHITESPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${PYTHON_WHITESPACE}]`;
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      // A ']' right after '[' or '[^' is a literal member, not the end of the class.
      const negated = source[i + 1] === '^';
      if (negated) out += source[++i];
      if (source[i + 1] === ']') out += `\\${source[++i]}`;
      continue;
    }
    if (source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    const backreference = /^\(\?P=(\w+)\)/.exec(source.slice(i));
    if (backreference !== null) {
      out += `\\k<${backreference[1]}>`;
      i += backreference[0].length - 1;
      continue;
    }
    out += char;
  }
  return out;
}

/**
 * Python's `match.expand(template)`: `\1`, `\g<1>`, `\g<name>`, and the escapes \n \t \r \\.
 * A group that did not take part in the match expands to nothing, as in Python 3.5+.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|([ntr\\]))/g, (whole, named: string | undefined, numbered: string | undefined, escape: string | undefined) => {
    if (escape !== undefined) return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[escape] ?? whole;
    const key = named ?? numbered!;
    const group = /^\d+$/.test(key) ? match[Number(key)] : match.groups?.[key];
    if (group === undefined && /^\d+$/.test(key) && Number(key) >= match.length) throw new Error(`invalid group reference ${key} in line`);
    return group ?? '';
  });
}
