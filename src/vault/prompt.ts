import { RackplayError } from '../errors.js';

/** Asks for a password; the CLI's is the terminal, tests pass their own. */
export type PasswordPrompter = (question: string) => Promise<string>;

type TtyInput = NodeJS.ReadStream & { setRawMode?: (mode: boolean) => unknown };

/**
 * Reads a line from the terminal without echoing it. Refuses when stdin is not a terminal:
 * a password piped in by accident would be read as text meant for something else.
 */
export function terminalPrompter(input: TtyInput = process.stdin, output: Pick<NodeJS.WriteStream, 'write'> = process.stderr): PasswordPrompter {
  return (question) => {
    if (input.isTTY !== true || typeof input.setRawMode !== 'function') {
      return Promise.reject(
        new RackplayError('E_VAULT_PASSWORD', 'cannot ask for the vault password: stdin is not a terminal; use --vault-password-file FILE or --vault-id LABEL@FILE'),
      );
    }
    return readHidden(input as TtyInput & { setRawMode: (mode: boolean) => unknown }, output, question);
  };
}

function readHidden(input: NodeJS.ReadStream & { setRawMode: (mode: boolean) => unknown }, output: Pick<NodeJS.WriteStream, 'write'>, question: string): Promise<string> {
  // Raw (no echo) before the question: nothing typed after it is shown, however fast.
  input.setRawMode(true);
  output.write(question);
  input.setEncoding('utf8');
  input.resume();
  let answer = '';
  return new Promise((resolve, reject) => {
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new RackplayError('E_VAULT_PASSWORD', 'vault password prompt interrupted'));
          return;
        }
        answer = char === '\u007f' || char === '\b' ? answer.slice(0, -1) : answer + char;
      }
    };
    input.on('data', onData);
  });
}
