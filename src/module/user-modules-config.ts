import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import { isMapping } from '../load/values.js';
import { loadYamlSource, locate } from '../load/yaml-source.js';

export const CONFIG_FILE = 'rackplay.config.yml';

/** An npm package named in rackplay.config.yml, and where it is named. */
export interface ConfiguredPackage {
  readonly name: string;
  readonly position: SourcePosition;
  readonly configDir: string;
}

/** The `modules:` packages of the rackplay.config.yml beside a playbook; no file means none. */
export async function readModulesConfig(playbookDir: string): Promise<{ packages: ConfiguredPackage[]; problems: RackplayError[] }> {
  const file = join(playbookDir, CONFIG_FILE);
  if (!existsSync(file)) return { packages: [], problems: [] };
  const loaded = await loadYamlSource(file);
  if (loaded.source === undefined || loaded.problems.length > 0) return { packages: [], problems: loaded.problems };
  const source = loaded.source;
  const data = source.data ?? {};
  if (!isMapping(data)) return { packages: [], problems: [new RackplayError('E_SCHEMA', `${CONFIG_FILE} must be a mapping`, locate(source, []))] };
  const problems: RackplayError[] = [];
  for (const key of Object.keys(data)) {
    if (key !== 'modules') problems.push(new RackplayError('E_SCHEMA', `unknown key '${key}' in ${CONFIG_FILE} (known: modules)`, locate(source, [key], { key: true })));
  }
  const modules = data.modules ?? [];
  if (!Array.isArray(modules)) return { packages: [], problems: [...problems, new RackplayError('E_SCHEMA', 'modules must be a list of npm package names', locate(source, ['modules']))] };
  const packages: ConfiguredPackage[] = [];
  modules.forEach((name, index) => {
    if (typeof name === 'string' && name !== '') packages.push({ name, position: locate(source, ['modules', index]), configDir: playbookDir });
    else problems.push(new RackplayError('E_SCHEMA', 'a modules entry must be an npm package name', locate(source, ['modules', index])));
  });
  return { packages, problems };
}

/**
 * The folder of an npm package, found the way Node finds a bare import from the config's folder: the
 * node_modules folders from there up to the root, then Node's global folders. Its manifest need not be exported.
 */
export function resolvePackageFolder(configured: ConfiguredPackage): string | RackplayError {
  const require = createRequire(join(configured.configDir, CONFIG_FILE));
  try {
    return dirname(require.resolve(`${configured.name}/package.json`));
  } catch {
    // A package whose "exports" hide package.json: look in the same folders Node would.
  }
  const searched = require.resolve.paths(configured.name) ?? [];
  const found = searched.map((folder) => join(folder, configured.name)).find((folder) => existsSync(join(folder, 'package.json')));
  if (found !== undefined) return found;
  return new RackplayError(
    'E_MODULE_NOT_FOUND',
    `npm package '${configured.name}' not found from ${configured.configDir} (searched node_modules up to / and Node's global folders); install it there, e.g. npm install ${configured.name}`,
    configured.position,
  );
}
