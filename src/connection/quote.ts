import type { CommandSpec, RunOptions } from './types.js';
import { envLine } from './env-script.js';

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

/** The variable a become wrapper reads the password into; sudo's askpass (printenv) prints it back to sudo. */
const BECOME_PASSWORD_VAR = 'RACKPLAY_BECOME_PASS';
const ENV_LINE_VAR = 'RACKPLAY_ENV';

/**
 * Wraps a command so that it runs through `sh -c` with env, cwd and become applied.
 * Returns the argv to execute and the stdin to feed.
 *
 * Secrets never reach argv, and the command never reads them: the become password and the environment
 * travel as lines ahead of stdin, and each is read off by the wrapper that needs it (`IFS= read -r` takes
 * exactly one line), so the command's stdin starts where the caller's does.
 */
export function wrapCommand(
  command: CommandSpec,
  options: RunOptions = {},
): { argv: string[]; stdin?: string | Buffer } {
  let script = commandScript(command);
  if (options.cwd !== undefined) script = `cd -- ${quoteWord(options.cwd)} && ${script}`;
  const preamble: string[] = [];
  const env = options.env ?? {};
  if (Object.keys(env).length > 0) {
    preamble.push(envLine(env));
    script = `IFS= read -r ${ENV_LINE_VAR} || exit 125; eval "$${ENV_LINE_VAR}"; unset ${ENV_LINE_VAR}\n${script}`;
  }
  // A command that is already `sh -c SCRIPT …` needs no second shell around it: one process less per command.
  const ownShell = preamble.length === 0 && options.cwd === undefined && !('script' in command) && command[0] === 'sh' && command[1] === '-c' && command.length >= 3;
  let argv = ownShell ? [...(command as readonly string[])] : ['sh', '-c', script];
  if (options.become !== undefined) {
    const user = options.become.user ?? 'root';
    if (options.become.password === undefined) argv = ['sudo', '-n', '-H', '-u', user, '--', ...argv];
    else {
      if (/[\n\r\0]/.test(options.become.password)) throw new Error('the become password holds a line break or NUL, which sudo cannot read');
      preamble.unshift(options.become.password);
      argv = ['sh', '-c', becomeWithPassword(user, argv)];
    }
  }
  return { argv, stdin: withPreamble(preamble, options.stdin) };
}

/**
 * sudo asks for the password only when it must (not as root, under NOPASSWD, or with a cached ticket),
 * so the password cannot simply go ahead of stdin for `sudo -S`: unasked, it would be the command's
 * first line of input. Instead the wrapper reads it into its environment and sudo, when it asks, runs
 * `printenv` as its askpass program with the variable's name as prompt. The command's environment
 * drops the variable even where sudoers keeps the caller's environment.
 */
function becomeWithPassword(user: string, inner: readonly string[]): string {
  const sudo = quoteArgv(['sudo', '-A', '-p', BECOME_PASSWORD_VAR, '-H', '-u', user, '--', 'env', '-u', BECOME_PASSWORD_VAR, ...inner]);
  return `IFS= read -r ${BECOME_PASSWORD_VAR} || exit 125; export ${BECOME_PASSWORD_VAR}; SUDO_ASKPASS=$(command -v printenv) exec ${sudo}`;
}

function withPreamble(lines: readonly string[], stdin: string | Buffer | undefined): string | Buffer | undefined {
  if (lines.length === 0) return stdin;
  const head = lines.map((line) => `${line}\n`).join('');
  if (stdin === undefined) return head;
  return typeof stdin === 'string' ? head + stdin : Buffer.concat([Buffer.from(head), stdin]);
}
