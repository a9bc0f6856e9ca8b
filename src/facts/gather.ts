import type { Connection, RunOptions } from '../connection/types.js';
import { FactOutputError, parseFacts } from './parse.js';
import { factScript, newFactMarker } from './script.js';
import type { Facts } from './types.js';

/** Gathers the fact set in one command through the connection's normal path (become and env included). */
export async function gatherFacts(connection: Connection, options: RunOptions = {}): Promise<Facts> {
  const marker = newFactMarker();
  const result = await connection.run({ script: factScript(marker) }, options);
  if (result.exitCode !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim().slice(0, 200);
    throw new FactOutputError(`fact gathering failed (exit ${result.exitCode})${detail === '' ? '' : `: ${detail}`}`);
  }
  return parseFacts(result.stdout, marker);
}
