import { quoteWord } from './quote.js';

/** A POSIX environment variable name; anything else is refused before it reaches a shell or env(1). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One line of sh that exports `env`, for a wrapper to `read` from stdin and eval. Values travel on stdin
 * rather than in argv (`env K=V cmd`), where every local user could read them in /proc/PID/cmdline.
 * A value holding a newline is spelt with printf octal escapes, so the line stays one line.
 */
export function envLine(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!ENV_NAME.test(name)) throw new Error(`environment variable name '${name}' is not a valid name`);
      if (!/[\n\r]/.test(value)) return `export ${name}=${quoteWord(value)};`;
      return `${name}=$(printf '${octalEscaped(value)}_'); export ${name}="\${${name}%_}";`;
    })
    .join(' ');
}

function octalEscaped(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9 ,./:=@+-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`)).join('');
}
