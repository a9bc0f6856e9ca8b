import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RackplayError } from '../errors.js';
import type { ErrorCode, SourcePosition } from '../errors.js';
import { parseYamlSource, locate } from '../load/yaml-source.js';
import { newAjv, playbookDefinition } from '../validate/ajv.js';
import type { ModuleDefinition } from './contract.js';
import { builtinModules } from './registry.js';
import type { AnyModule } from './registry.js';
import { ENTRY_FILES, SCHEMA_FILE } from './user-modules-find.js';
import type { ModuleCandidate } from './user-modules-find.js';
import { guardUserModule } from './user-modules-guard.js';

/** A user module, loaded and checked, ready for the registry. */
export interface UserModule {
  readonly name: string;
  readonly folder: string;
  readonly origin: string;
  readonly entry: string;
  readonly schemaFile: string;
  readonly schema: Record<string, unknown>;
  readonly definition: AnyModule;
}

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STRUCTURAL_KEYS = ['block', 'rescue', 'always', 'import_tasks', 'include_tasks', 'import_role', 'include_role', 'args'];

/** Loads one module folder: its schema (a valid JSON Schema), its entry (the gather/plan/apply contract), its name. */
export async function loadUserModule(candidate: ModuleCandidate): Promise<UserModule | RackplayError> {
  const schemaFile = join(candidate.folder, SCHEMA_FILE);
  const entry = candidate.entry ?? ENTRY_FILES.map((file) => join(candidate.folder, file)).find((file) => existsSync(file));
  const at = (file: string): SourcePosition => candidate.position ?? { file, line: 1, col: 1 };
  const problem = (code: ErrorCode, file: string, message: string) => new RackplayError(code, `${describe(candidate)}: ${message}`, at(file));
  if (entry === undefined || !existsSync(entry)) {
    return problem('E_MODULE_LOAD', join(candidate.folder, ENTRY_FILES[0]), `no ${entry === undefined ? 'index.mjs or index.js' : entry} in ${candidate.folder}`);
  }
  if (/\.m?ts$/.test(entry) && !nodeLoadsTypeScript()) {
    return problem(
      'E_MODULE_LOAD',
      entry,
      `${entry} is TypeScript, which Node ${process.version} cannot load: compile it to index.js (or index.mjs) beside it, or run rackplay on a Node that strips types (22.18+, 23.6+)`,
    );
  }
  const schema = await readSchema(schemaFile, candidate.position);
  if (schema instanceof RackplayError) return schema;
  let exported: unknown;
  try {
    // Through its real path, as Node does for imports: a symlinked module then finds 'rackplay' where its files are.
    const loaded = (await import(pathToFileURL(realpathSync(entry)).href)) as { default?: unknown };
    exported = loaded.default ?? loaded;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /['"]rackplay['"]/.test(reason) ? `; 'rackplay' must be installed where Node finds it from ${entry} (npm install --save-dev rackplay in the project)` : '';
    return problem('E_MODULE_LOAD', entry, `cannot load ${entry}: ${reason}${hint}`);
  }
  const definition = exported as Partial<ModuleDefinition<unknown, unknown>>;
  const missing = ['gather', 'plan'].filter((key) => typeof (definition as Record<string, unknown> | null)?.[key] !== 'function');
  if (missing.length > 0) {
    return problem('E_MODULE_LOAD', entry, `${entry} must export (as default) a module made with defineModule({ gather, plan, apply? }); missing: ${missing.join(', ')}`);
  }
  if (definition.apply !== undefined && typeof definition.apply !== 'function') return problem('E_MODULE_LOAD', entry, 'apply must be a function');
  const name = candidate.packageName === undefined ? candidate.name : (definition.name ?? candidate.name);
  if (candidate.packageName === undefined && definition.name !== undefined && definition.name !== candidate.name) {
    return problem('E_MODULE_LOAD', entry, `exports the name '${String(definition.name)}' but its folder names it '${candidate.name}'; the folder name is the module's name`);
  }
  const nameProblem = invalidName(name);
  if (nameProblem !== undefined) return problem('E_MODULE_LOAD', entry, nameProblem);
  const builtin = builtinModules.get(name);
  if (builtin !== undefined && definition.override !== true && schema.override !== true) {
    return problem(
      'E_MODULE_SHADOWS_BUILTIN',
      entry,
      `user module '${name}' (${entry}) has the name of the built-in module '${name}' (built into rackplay: modules/${name}, schemas/modules/${name}.json); rename it, or declare override: true in its export or ${SCHEMA_FILE} to replace the built-in`,
    );
  }
  const source = `${candidate.folder}, ${candidate.origin}`;
  return { name, folder: candidate.folder, origin: candidate.origin, entry, schemaFile, schema, definition: guardUserModule(definition as ModuleDefinition<unknown, unknown>, name, source) };
}

/** schema.json parsed as JSON and checked as a JSON Schema by ajv, with the file (and line) of what is wrong. */
async function readSchema(file: string, requestedAt: SourcePosition | undefined): Promise<Record<string, unknown> | RackplayError> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return new RackplayError('E_MODULE_SCHEMA', `no ${SCHEMA_FILE} in ${join(file, '..')}: a module's parameters are declared there`, requestedAt ?? { file, line: 1, col: 1 });
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return new RackplayError('E_MODULE_SCHEMA', `${file} is not valid JSON: ${(error as Error).message}`, jsonErrorPosition(file, text, (error as Error).message));
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return new RackplayError('E_MODULE_SCHEMA', `${file} must be a JSON Schema object describing the module's parameters`, { file, line: 1, col: 1 });
  }
  const ajv = newAjv();
  if (!(ajv.validateSchema(schema) as boolean)) {
    // The first error is the precise one; the rest are the alternatives (anyOf) it failed as a consequence.
    const first = ajv.errors![0]!;
    const path = first.instancePath.split('/').slice(1);
    const where = locate(parseYamlSource(file, text).source, path.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment)));
    const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
    const details = `${first.instancePath || '/'} ${first.message ?? 'is invalid'}${allowed === undefined ? '' : ` (${allowed.map(String).join(', ')})`}`;
    return new RackplayError('E_MODULE_SCHEMA', `${file} is not a valid JSON Schema: ${details}`, where);
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    return new RackplayError('E_MODULE_SCHEMA', `${file} is not a usable JSON Schema: ${(error as Error).message}`, { file, line: 1, col: 1 });
  }
  return schema as Record<string, unknown>;
}

/** JSON.parse says "at position N" (and on newer Nodes "line L column C"); either becomes file:line:col. */
function jsonErrorPosition(file: string, text: string, message: string): SourcePosition {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol !== null) return { file, line: Number(lineCol[1]), col: Number(lineCol[2]) };
  const offset = /position (\d+)/.exec(message);
  if (offset === null) return { file, line: 1, col: 1 };
  const before = text.slice(0, Number(offset[1])).split('\n');
  return { file, line: before.length, col: before.at(-1)!.length + 1 };
}

function invalidName(name: unknown): string | undefined {
  if (typeof name !== 'string' || !MODULE_NAME.test(name)) return `'${String(name)}' is not a usable module name (letters, digits and _, not starting with a digit)`;
  const keywords = ['taskKeywords', 'blockKeywords'] as const;
  const reserved = new Set([...STRUCTURAL_KEYS, ...keywords.flatMap((kind) => Object.keys((playbookDefinition(kind).schema as { properties: object }).properties))]);
  if (reserved.has(name)) return `'${name}' is a task keyword, so it cannot name a module`;
  return undefined;
}

function nodeLoadsTypeScript(): boolean {
  return Boolean((process.features as unknown as { typescript?: unknown }).typescript);
}

function describe(candidate: ModuleCandidate): string {
  return candidate.packageName === undefined ? `user module '${candidate.name}' (${candidate.origin})` : `user module from ${candidate.origin}`;
}
