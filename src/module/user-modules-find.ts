import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RackplayError } from '../errors.js';
import type { SourcePosition } from '../errors.js';
import type { ConfiguredPackage } from './user-modules-config.js';
import { resolvePackageFolder } from './user-modules-config.js';

export const SCHEMA_FILE = 'schema.json';
/** Entry files a module folder may have, in the order they are preferred. TypeScript last: only some Nodes load it. */
export const ENTRY_FILES = ['index.mjs', 'index.js', 'index.cjs', 'index.ts', 'index.mts'] as const;

/** A folder that should hold a user module, before it is loaded. */
export interface ModuleCandidate {
  /** The module name the folder gives; a package's module is named by its export (or its package name). */
  readonly name: string;
  readonly folder: string;
  /** How it was found, for messages and `rackplay doc`: "modules/ beside the playbook", "--module-path", "npm package x". */
  readonly origin: string;
  /** Set for packages: the entry their package.json names. */
  readonly entry?: string;
  readonly packageName?: string;
  /** Where it was asked for (a rackplay.config.yml entry), when it was. */
  readonly position?: SourcePosition;
}

/** The module folders inside a folder of modules (`modules/` beside the playbook, a --module-path DIR). */
export async function moduleFoldersIn(dir: string, origin: string): Promise<ModuleCandidate[]> {
  // A --module-path may also name one module's own folder.
  if (looksLikeModule(dir)) return [{ name: basename(dir), folder: resolve(dir), origin }];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => join(resolve(dir), entry.name))
    .filter((folder) => isDirectory(folder) && looksLikeModule(folder))
    .sort()
    .map((folder) => ({ name: basename(folder), folder, origin }));
}

/** A folder counts as a module when it has a schema or an index file; what it lacks is then reported, not ignored. */
function looksLikeModule(folder: string): boolean {
  return existsSync(join(folder, SCHEMA_FILE)) || ENTRY_FILES.some((file) => existsSync(join(folder, file)));
}

/** The module of an npm package: its folder holds schema.json, its package.json names the entry. */
export async function packageCandidate(configured: ConfiguredPackage): Promise<ModuleCandidate | RackplayError> {
  const folder = resolvePackageFolder(configured);
  if (folder instanceof RackplayError) return folder;
  let manifest: { name?: unknown; main?: unknown; exports?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    return new RackplayError('E_MODULE_LOAD', `npm package '${configured.name}': cannot read ${join(folder, 'package.json')}: ${(error as Error).message}`, configured.position);
  }
  const entry = packageEntry(manifest);
  const short = configured.name.replace(/^@[^/]+\//, '').replace(/^rackplay-module-/, '');
  return {
    name: short,
    folder,
    origin: `npm package ${configured.name}`,
    entry: entry === undefined ? undefined : join(folder, entry),
    packageName: configured.name,
    position: configured.position,
  };
}

/** The import entry of a package: "exports" ('.' and its import/node/default conditions), else "main", else an index file. */
function packageEntry(manifest: { main?: unknown; exports?: unknown }): string | undefined {
  const fromExports = conditionTarget(manifest.exports);
  if (fromExports !== undefined) return fromExports;
  return typeof manifest.main === 'string' ? manifest.main : undefined;
}

function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const conditions = value as Record<string, unknown>;
  if ('.' in conditions) return conditionTarget(conditions['.']);
  for (const condition of ['import', 'node', 'default']) {
    const target = conditionTarget(conditions[condition]);
    if (target !== undefined) return target;
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
