import { expandTemplate, pythonRegex, toByteString } from './regex.js';

/**
 * Ansible's lineinfile, transliterated from its `present` and `absent` so that the same task edits a
 * file the same way. All strings here are byte strings (see regex.ts).
 */

export interface LineOptions {
  readonly line?: string;
  readonly regexp?: string;
  readonly search_string?: string;
  readonly insertafter?: string;
  readonly insertbefore?: string;
  readonly backrefs?: boolean;
  readonly firstmatch?: boolean;
}

export interface Edited {
  readonly content: string;
  readonly changed: boolean;
  readonly msg: string;
  /** state=absent: how many lines were removed. */
  readonly found?: number;
}

const LINESEP = '\n';

/** Python's readlines: each line keeps its '\n'; the last may have none. */
export function splitLines(content: string): string[] {
  const lines = content.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

const stripEol = (line: string) => line.replace(/[\r\n]+$/, '');
/** Python's `$` matches before a final newline; dropping it lets JavaScript's `$` agree. */
const matchable = (line: string) => (line.endsWith('\n') ? line.slice(0, -1) : line);

export function ensurePresent(content: string, options: LineOptions): Edited {
  const lines = splitLines(content);
  const line = toByteString(options.line ?? '');
  const regexp = options.regexp === undefined ? undefined : pythonRegex(toByteString(options.regexp));
  const search = options.search_string === undefined ? undefined : toByteString(options.search_string);
  const { insertafter, insertbefore } = options;
  const anchorSource = insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF' ? insertafter : insertbefore !== undefined && insertbefore !== 'BOF' ? insertbefore : undefined;
  const anchor = anchorSource === undefined ? undefined : pythonRegex(toByteString(anchorSource));

  // index[0]: the line that regexp, search_string or the exact line matched; index[1]: where to insert.
  const index = [-1, -1];
  let match: RegExpExecArray | undefined;
  let matched = false;
  if (regexp !== undefined) {
    for (const [lineno, current] of lines.entries()) {
      const found = regexp.exec(matchable(current));
      if (found !== null) {
        index[0] = lineno;
        match = found;
        matched = true;
        if (options.firstmatch) break;
      }
    }
  }
  if (search !== undefined) {
    for (const [lineno, current] of lines.entries()) {
      if (current.includes(search)) {
        index[0] = lineno;
        matched = true;
        if (options.firstmatch) break;
      }
    }
  }
  if (!matched) {
    for (const [lineno, current] of lines.entries()) {
      if (line === stripEol(current)) {
        index[0] = lineno;
      } else if (anchor !== undefined && anchor.test(matchable(current))) {
        if (insertafter !== undefined) {
          index[1] = lineno + 1;
          if (options.firstmatch) break;
        }
        if (insertbefore !== undefined) {
          index[1] = lineno;
          if (options.firstmatch) break;
        }
      }
    }
  }

  const done = (msg: string): Edited => ({ content: lines.join(''), changed: msg !== '', msg });
  const insertAt = (at: number): Edited => {
    lines.splice(at, 0, line + LINESEP);
    return done('line added');
  };

  if (index[0] !== -1) {
    let newLine = options.backrefs && match !== undefined ? expandTemplate(line, match) : line;
    if (!newLine.endsWith(LINESEP)) newLine += LINESEP;
    if (lines[index[0]!] === newLine) return done('');
    lines[index[0]!] = newLine;
    return done('line replaced');
  }
  // Without a match the backreferences cannot be filled, so nothing is written.
  if (options.backrefs) return done('');
  if (insertbefore === 'BOF' || insertafter === 'BOF') return insertAt(0);
  if (insertafter === 'EOF' || index[1] === -1) {
    if (lines.length > 0 && !/[\n\r]$/.test(lines[lines.length - 1]!)) lines.push(LINESEP);
    return insertAt(lines.length);
  }
  const at = index[1]!;
  if (insertafter !== undefined) {
    // Do not insert the line again right after its anchor.
    if (at === lines.length) return stripEol(lines[at - 1]!) === line ? done('') : insertAt(at);
    return stripEol(lines[at]!) === line ? done('') : insertAt(at);
  }
  return insertAt(at);
}

export function ensureAbsent(content: string, options: LineOptions): Edited {
  const lines = splitLines(content);
  const regexp = options.regexp === undefined ? undefined : pythonRegex(toByteString(options.regexp));
  const search = options.search_string === undefined ? undefined : toByteString(options.search_string);
  const line = toByteString(options.line ?? '');
  const matches = (current: string): boolean => {
    if (regexp !== undefined) return regexp.test(matchable(current));
    if (search !== undefined) return current.includes(search);
    return line === stripEol(current);
  };
  const kept = lines.filter((current) => !matches(current));
  const found = lines.length - kept.length;
  return { content: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
