import { quoteArgv } from '../../src/connection/quote.js';

/** A failed ipvsadm (or modprobe) step, with its command, ipvsadm's message and exit code. */
export class IpvsCommandError extends Error {
  readonly code = 'E_CHANGE_FAILED';
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
    step: { readonly index: number; readonly total: number; readonly description: string },
  ) {
    const applied = step.index === 0 ? 'nothing was applied before it' : step.index === 1 ? 'step 1 was applied' : `steps 1-${step.index} were applied`;
    super(`${quoteArgv(argv)} failed with exit ${exitCode}: ${oneLine(stderr) || '(no message)'} (step ${step.index + 1} of ${step.total}: ${step.description}; ${applied})`);
    this.name = 'IpvsCommandError';
  }
}

/** A tool's multi-line stderr on one line, for a failure message. */
export function oneLine(text: string): string {
  return text.trim().split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' / ');
}
