/** Pure parser of `iptables-save -t TABLE` output (iptables 1.8, legacy and nf_tables print the same format). */

export interface SavedChain {
  readonly name: string;
  /** ACCEPT, DROP… for a built-in chain; undefined for a user chain (printed as `-`). */
  readonly policy?: string;
}

export interface SavedRule {
  readonly chain: string;
  /** The line as printed, e.g. `-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT`. */
  readonly line: string;
  /** The rule's specification after `-A CHAIN`, unquoted into words. */
  readonly spec: readonly string[];
}

export interface SavedTable {
  readonly name: string;
  readonly chains: readonly SavedChain[];
  readonly rules: readonly SavedRule[];
}

/** Every table in the output (one with `-t TABLE`; none when the table has never been loaded). */
export function parseIptablesSave(output: string): SavedTable[] {
  const tables: { name: string; chains: SavedChain[]; rules: SavedRule[] }[] = [];
  let current: (typeof tables)[number] | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      current = { name: line.slice(1), chains: [], rules: [] };
      tables.push(current);
    } else if (line === 'COMMIT') {
      current = undefined;
    } else if (current === undefined) {
      throw new Error(`iptables-save: line outside a table: ${line}`);
    } else if (line.startsWith(':')) {
      const [name = '', policy = '-'] = line.slice(1).split(' ');
      current.chains.push({ name, ...(policy === '-' ? {} : { policy }) });
    } else if (line.startsWith('-A ')) {
      const words = splitWords(line);
      current.rules.push({ chain: words[1] ?? '', line, spec: words.slice(2) });
    } else {
      throw new Error(`iptables-save: unexpected line: ${line}`);
    }
  }
  return tables;
}

/** Words as iptables-save quotes them: `"…"` with `\"` and `\\` inside; everything else splits on spaces. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let index = 0;
  while (index < line.length) {
    while (line[index] === ' ') index += 1;
    if (index >= line.length) break;
    let word = '';
    while (index < line.length && line[index] !== ' ') {
      const char = line[index] ?? '';
      if (char === '"') {
        index += 1;
        while (index < line.length && line[index] !== '"') {
          if (line[index] === '\\' && index + 1 < line.length) index += 1;
          word += line[index] ?? '';
          index += 1;
        }
        index += 1;
      } else {
        word += char;
        index += 1;
      }
    }
    words.push(word);
  }
  return words;
}

/** Options whose value iptables-save prints through xtables_save_string (quoted unless plain). */
const stringOptions = new Set(['--comment', '--log-prefix', '--nflog-prefix']);

/** xtables_save_string: bare when only [A-Za-z0-9_-], else in double quotes with `"`, `\\` and `'` escaped. */
export function quoteWord(word: string, savedString = false): string {
  const plain = savedString ? /^[A-Za-z0-9_-]+$/ : /^[^\s"\\']+$/;
  if (plain.test(word)) return word;
  return `"${word.replace(/["\\']/g, (char) => `\\${char}`)}"`;
}

/** The save line of a rule given as words: `-A CHAIN words…`, quoted as iptables-save quotes them. */
export function ruleLine(chain: string, spec: readonly string[]): string {
  return ['-A', chain, ...spec.map((word, index) => quoteWord(word, stringOptions.has(spec[index - 1] ?? '')))].join(' ');
}
