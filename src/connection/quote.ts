import type { BecomeOptions, CommandSpec, RunOptions } from './types.js';

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX sh quoting of one word. The only place rackplay quotes for a shell. */
export function quoteWord(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

/** The sh script text for a command spec. */
export function commandScript(command: CommandSpec): string {
  return 'script' in command ? command.script : quoteArgv(command);
}

export function describeCommand(command: CommandSpec): string {
  return 'script' in command ? command.script : quoteArgv(command);
}

/**
 * Wraps a command so that it runs through `sh -c` with env, cwd and become applied.
 * Returns the argv to execute and the stdin to feed (a become password is prefixed to stdin for `sudo -S`).
 */
export function wrapCommand(
  command: CommandSpec,
  options: RunOptions = {},
): { argv: string[]; stdin?: string | Buffer } {
  let script = commandScript(command);
  if (options.cwd !== undefined) script = `cd ${quoteWord(options.cwd)} && ${script}`;
  const envPrefix = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const inner = [...(envPrefix.length > 0 ? ['env', ...envPrefix] : []), 'sh', '-c', script];
  if (options.become === undefined) return { argv: inner, stdin: options.stdin };
  return becomeArgv(inner, options.become, options.stdin);
}

function becomeArgv(
  inner: string[],
  become: BecomeOptions,
  stdin: string | Buffer | undefined,
): { argv: string[]; stdin?: string | Buffer } {
  const user = become.user ?? 'root';
  if (become.password === undefined) {
    return { argv: ['sudo', '-n', '-H', '-u', user, '--', ...inner], stdin };
  }
  // -p '' keeps the prompt out of stderr; the password travels as the first stdin line only.
  const prefix = `${become.password}\n`;
  const rest = stdin === undefined ? '' : stdin;
  const combined = typeof rest === 'string' ? prefix + rest : Buffer.concat([Buffer.from(prefix), rest]);
  return { argv: ['sudo', '-S', '-p', '', '-H', '-u', user, '--', ...inner], stdin: combined };
}
