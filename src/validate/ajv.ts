import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { builtinModules, moduleSchema } from '../module/registry.js';
import { schemasDir } from '../paths.js';

const PLAYBOOK_KEY = 'playbook';

let shared: Ajv | undefined;

/** One ajv for the run, holding the playbook schema and every module schema under its relative path. */
export function schemaValidator(): Ajv {
  if (shared !== undefined) return shared;
  const ajv = newAjv();
  for (const name of builtinModules.keys()) ajv.addSchema(moduleSchema(name), `modules/${name}.json`);
  ajv.addSchema(playbookSchema(), PLAYBOOK_KEY);
  shared = ajv;
  return ajv;
}

/** An ajv configured like the run's; also used alone to check a user module's schema without touching the run's. */
export function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, verbose: true });
  ajv.addKeyword({ keyword: 'x-condition', schemaType: 'boolean' });
  ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();

let userSchemaNames: readonly string[] = [];

/**
 * Puts the user modules' schemas under `modules/<name>.json`, as the built-ins', replacing the previous load's.
 * A user module that overrides a built-in replaces its schema; the built-in's comes back when it is gone.
 */
export function setUserModuleSchemas(schemas: ReadonlyMap<string, Record<string, unknown>>): void {
  const ajv = schemaValidator();
  for (const name of userSchemaNames) {
    ajv.removeSchema(`modules/${name}.json`);
    compiled.delete(`modules/${name}.json`);
    if (builtinModules.has(name)) ajv.addSchema(moduleSchema(name), `modules/${name}.json`);
  }
  for (const [name, schema] of schemas) {
    if (builtinModules.has(name)) ajv.removeSchema(`modules/${name}.json`);
    compiled.delete(`modules/${name}.json`);
    // The key names the schema; a user's $id would register it a second time.
    const { $id: _id, ...withoutId } = schema;
    ajv.addSchema(withoutId, `modules/${name}.json`);
  }
  userSchemaNames = [...schemas.keys()];
}

function validatorFor(key: string): ValidateFunction {
  let validate = compiled.get(key);
  if (validate === undefined) {
    const found = schemaValidator().getSchema(key);
    if (found === undefined) throw new Error(`schema not found: ${key}`);
    validate = found;
    compiled.set(key, validate);
  }
  return validate;
}

const shallowDefinitions = new Map<string, ValidateFunction>();

/**
 * A playbook definition with its nested task lists reduced to "an array": tasks are validated one by
 * one with their own positions, and compiling the full graph (every module schema) costs ~100 ms.
 */
export function playbookDefinition(name: 'play' | 'taskKeywords' | 'blockKeywords' | 'roleImport'): ValidateFunction {
  let validate = shallowDefinitions.get(name);
  if (validate === undefined) {
    const definition = structuredClone(playbookSchema().definitions[name]!) as { properties: Record<string, { $ref?: string; description?: string }> };
    for (const [key, property] of Object.entries(definition.properties)) {
      if (property.$ref === '#/definitions/taskList') definition.properties[key] = { type: 'array', description: property.description } as never;
    }
    validate = schemaValidator().compile(definition);
    shallowDefinitions.set(name, validate);
  }
  return validate;
}

let playbookSchemaCache: { definitions: Record<string, object> } | undefined;

function playbookSchema(): { definitions: Record<string, object> } {
  playbookSchemaCache ??= JSON.parse(readFileSync(join(schemasDir, 'playbook.schema.json'), 'utf8')) as { definitions: Record<string, object> };
  return playbookSchemaCache;
}

export const moduleParamsValidator = (module: string): ValidateFunction => validatorFor(`modules/${module}.json`);

/** Runs a validator and returns its errors (empty when valid). */
export function schemaErrors(validate: ValidateFunction, value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The property names a schema declares, for "did you mean" suggestions. */
export function declaredProperties(schema: Record<string, unknown>): string[] {
  const properties = schema.properties;
  return properties !== null && typeof properties === 'object' ? Object.keys(properties) : [];
}
