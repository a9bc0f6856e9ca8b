import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { rememberVaultedData } from '../vault/session.js';
import { isMapping } from './values.js';
import { loadYamlSource, locate } from './yaml-source.js';

/** A vars file (vars_files, include_vars, -e @file): a YAML or JSON mapping. */
export async function loadVarsFile(file: string, from?: SourcePosition): Promise<{ vars?: Record<string, unknown>; problems: RackplayError[] }> {
  const loaded = await loadYamlSource(file, from);
  if (loaded.source === undefined || loaded.problems.length > 0) return { problems: loaded.problems };
  const data = loaded.source.data;
  if (data === null || data === undefined) return { vars: {}, problems: [] };
  if (!isMapping(data)) return { problems: [new RackplayError('E_SCHEMA', 'a vars file must hold a mapping of variables', locate(loaded.source, []))] };
  if (loaded.source.vaulted === true) rememberVaultedData(data);
  return { vars: data, problems: [] };
}
