import type { ModuleContext } from '../../src/module/contract.js';
import type { RunResult } from '../../src/connection/types.js';
import { parseBiosConfig, parseBiosInfo } from './parse.js';
import type { BiosConfig, BiosInfo } from './parse.js';
import { sumArgv } from './plan.js';
import type { SumBiosParams } from './plan.js';

/** SUM's documented exit codes (SUM user's guide), as messages. */
export const SUM_EXIT_CODES: Readonly<Record<number, string>> = {
  2: 'unknown option',
  3: 'missing argument',
  4: 'no host, user or password given for out-of-band use',
  6: 'unknown command',
  8: 'cannot open file',
  9: 'file exists',
  10: 'host unknown',
  12: 'access denied',
  36: 'device missing',
  38: 'not supported',
  60: 'invalid BIOS configuration file',
  62: 'invalid firmware image',
  80: 'product key not activated',
  82: 'board mismatch: the image is not for this board',
  83: 'out-of-band not supported on this system',
  145: 'cannot connect to the BMC',
  146: 'BMC login failed: wrong user or password',
};

export class SumError extends Error {
  readonly code = 'E_SUM';
  constructor(
    readonly command: string,
    readonly exitCode: number,
    output: string,
  ) {
    const meaning = SUM_EXIT_CODES[exitCode] ?? (exitCode === 127 ? 'sum not found (see sum_path)' : 'failed');
    const detail = output.trim().split('\n').slice(-5).join('\n');
    super(`sum ${command} failed with exit ${exitCode} (${meaning})${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'SumError';
  }
}

/** Replaces the BMC password wherever it might appear in text that rackplay shows. */
export function maskSecret(text: string, secret: string | undefined): string {
  return secret === undefined || secret === '' ? text : text.split(secret).join('********');
}

/** Runs a change or a read; a non-zero exit becomes a SumError naming SUM's meaning, the password masked. */
export async function runSum(ctx: ModuleContext, params: SumBiosParams, argv: readonly string[]): Promise<RunResult> {
  let result: RunResult;
  try {
    result = await ctx.run(argv);
  } catch (error) {
    // A timeout's message holds the command line, and with it the password: rethrow it masked, without the cause.
    const masked = new Error(maskSecret((error as Error).message, params.bmc_password));
    masked.name = (error as Error).name;
    throw masked;
  }
  if (result.exitCode !== 0) {
    const command = commandOf(argv);
    throw new SumError(command, result.exitCode, maskSecret(`${result.stdout}\n${result.stderr}`, params.bmc_password));
  }
  return result;
}

function commandOf(argv: readonly string[]): string {
  const at = argv.findIndex((arg) => arg.toLowerCase() === '-c');
  return at === -1 ? (argv[0] ?? '?') : (argv[at + 1] ?? '?');
}

async function tempDir(ctx: ModuleContext): Promise<string> {
  const made = await ctx.run(['mktemp', '-d', '/tmp/rackplay-sum.XXXXXXXX']);
  if (made.exitCode !== 0) throw new Error(`sum_bios: mktemp failed: ${made.stderr.trim()}`);
  return made.stdout.trim();
}

/** `GetCurrentBiosCfg --file <tmp> --overwrite`, read back, parsed; the temp folder is removed. */
export async function readCurrentConfig(ctx: ModuleContext, params: SumBiosParams): Promise<{ raw: string; config: BiosConfig }> {
  const dir = await tempDir(ctx);
  try {
    const file = `${dir}/current`;
    await runSum(ctx, params, sumArgv(params, 'GetCurrentBiosCfg', '--file', file, '--overwrite'));
    const raw = (await ctx.connection.get(file, { become: ctx.become })).toString('latin1');
    return { raw, config: parseBiosConfig(raw) };
  } finally {
    await ctx.run(['rm', '-rf', dir]);
  }
}

export async function readBiosInfo(ctx: ModuleContext, params: SumBiosParams): Promise<BiosInfo> {
  return parseBiosInfo((await runSum(ctx, params, sumArgv(params, 'GetBiosInfo'))).stdout);
}

/** A fresh name for the partial file's folder: made by mktemp, then removed, so check mode leaves nothing. */
export async function workDirName(ctx: ModuleContext): Promise<string> {
  const dir = await tempDir(ctx);
  await ctx.run(['rm', '-rf', dir]);
  return dir;
}
