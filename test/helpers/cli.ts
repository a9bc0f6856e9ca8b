import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output (non-TTY, so the plain renderer unless asked). */
export async function rackplay(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (chunk: string | Uint8Array) => ((stdout += String(chunk)), true), isTTY: false } as never,
    stderr: { write: (chunk: string | Uint8Array) => ((stderr += String(chunk)), true) } as never,
  });
  return { code, stdout, stderr };
}

/** A temp dir removed by the returned cleanup. */
export async function tempDir(prefix = 'rackplay-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

// Colour codes start with the ESC control character, which is exactly what must be matched here.
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

/** The PLAY RECAP line of a host, as numbers. */
export function recapOf(output: string, host: string): Record<string, number> {
  const plain = output.replace(ANSI_COLOUR, '');
  const line = plain.split('\n').find((entry) => new RegExp(`^${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+:`).test(entry));
  if (line === undefined) throw new Error(`no recap line for ${host} in:\n${output}`);
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((match) => [match[1]!, Number(match[2])]));
}
