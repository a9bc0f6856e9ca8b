import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinModules, moduleSchema } from '../module/registry.js';
import { schemasDir } from '../paths.js';

export type SchemaKey = string;

const SHALLOW_DEFINITIONS = ['play', 'taskKeywords', 'blockKeywords', 'roleImport'] as const;

let catalogue: ReadonlyMap<SchemaKey, Record<string, unknown>> | undefined;

/**
 * Every schema the engine validates with, by key: `modules/<name>.json`, `playbook/<definition>`, `inventory`
 * and `inventory/serf`. The build generates code for exactly these (scripts/precompile-validators.mjs), so the
 * runtime ajv and the generated validators cannot drift apart.
 */
export function schemaCatalogue(): ReadonlyMap<SchemaKey, Record<string, unknown>> {
  if (catalogue !== undefined) return catalogue;
  const entries = new Map<SchemaKey, Record<string, unknown>>();
  for (const name of builtinModules.keys()) entries.set(`modules/${name}.json`, moduleSchema(name));
  const playbook = readSchema('playbook.schema.json');
  // Task lists become "an array": tasks are validated one by one, each with its own position.
  for (const name of SHALLOW_DEFINITIONS) entries.set(`playbook/${name}`, shallowDefinition(playbook.definitions[name]!));
  const inventory = readSchema('inventory.schema.json');
  entries.set('inventory', inventory);
  entries.set('inventory/serf', { ...inventory.definitions.serf, definitions: inventory.definitions });
  catalogue = entries;
  return entries;
}

function readSchema(file: string): Record<string, unknown> & { definitions: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as Record<string, unknown> & { definitions: Record<string, Record<string, unknown>> };
}

function shallowDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  const shallow = structuredClone(definition) as { properties: Record<string, { $ref?: string; type?: string; description?: string }> };
  for (const [key, property] of Object.entries(shallow.properties)) {
    if (property.$ref === '#/definitions/taskList') shallow.properties[key] = { type: 'array', description: property.description };
  }
  return shallow;
}
