/** Pure parsers of what LXC prints and writes: `lxc-ls -1`, `lxc-info`, the container config file, /proc/PID/net/dev. */

/** What `lxc-info -n NAME` says of a container. State is LXC's word: STOPPED, RUNNING, FROZEN, STARTING… */
export interface LxcInfo {
  readonly state: string;
  readonly pid?: number;
  readonly ips: readonly string[];
  /** Host-side interface names (the veth peers), from the `Link:` lines. */
  readonly links: readonly string[];
}

/** `lxc-ls -1`: one container name per line. */
export function parseLxcLs(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** `lxc-info -n NAME` (with or without -H): "Key:   value" lines; indented lines are per-link counters. */
export function parseLxcInfo(output: string): LxcInfo {
  let state: string | undefined;
  let pid: number | undefined;
  const ips: string[] = [];
  const links: string[] = [];
  for (const line of output.split('\n')) {
    const match = /^([A-Za-z][A-Za-z ]*):\s*(.*?)\s*$/.exec(line);
    if (match === null) continue;
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 'State') state = value;
    else if (key === 'PID' && /^\d+$/.test(value)) pid = Number(value);
    else if (key === 'IP' && value !== '') ips.push(value);
    else if (key === 'Link' && value !== '') links.push(value);
  }
  if (state === undefined) throw new Error(`lxc-info printed no State line:\n${output}`);
  return { state, ...(pid === undefined ? {} : { pid }), ips, links };
}

/** One line of an LXC config file; `key` and `value` only on "key = value" lines (comments and blanks keep only text). */
export interface ConfigLine {
  readonly text: string;
  readonly key?: string;
  /** As written, trimmed; quotes kept (see unquote). */
  readonly value?: string;
}

/** Splits a config file into lines, as LXC reads them: "key = value", '#' comments, blank lines. */
export function parseConfig(text: string): ConfigLine[] {
  if (text === '') return [];
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.map((line) => {
    const match = /^\s*([^#=\s][^=\s]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match === null) return { text: line };
    return { text: line, key: match[1]!, value: match[2]! };
  });
}

/** LXC strips one pair of matching quotes around a value (lxc.uts.name = "web1" is web1). */
export function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) return value.slice(1, -1);
  return value;
}

/** The values of `key` in file order, unquoted. */
export function configValues(lines: readonly ConfigLine[], key: string): string[] {
  return lines.filter((line) => line.key === key).map((line) => unquote(line.value ?? ''));
}

/** Interface names from /proc/PID/net/dev (the container's network namespace): "  eth0: 90 1 0 …". */
export function parseNetDev(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^\s*([^:\s]+):/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && !name.includes('|'));
}
