import { createRequire } from 'node:module';
import type * as AjvPackage from 'ajv';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { precompiledValidators } from './precompiled.js';
import { schemaCatalogue } from './schema-catalogue.js';
import { builtinModules, moduleSchema } from '../module/registry.js';

const require = createRequire(import.meta.url);

let shared: Ajv | undefined;

/**
 * One ajv for the run, holding every schema of the catalogue under its key. Built only when a validator
 * is not precompiled (a user module's schema, or a run from src/ where the build has not generated them):
 * loading and compiling ajv costs ~100 ms of a run that otherwise validates with generated code.
 */
export function schemaValidator(): Ajv {
  if (shared !== undefined) return shared;
  const ajv = newAjv();
  for (const [key, schema] of schemaCatalogue()) ajv.addSchema(schema, key);
  shared = ajv;
  return ajv;
}

/** An ajv configured like the run's; also used alone to check a user module's schema without touching the run's. */
export function newAjv(extra: Options = {}): Ajv {
  // Required here, not imported at the top: most runs never load ajv itself.
  const { Ajv: AjvClass } = require('ajv') as typeof AjvPackage;
  const ajv = new AjvClass({ allErrors: true, strict: false, useDefaults: false, verbose: true, ...extra });
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
  if (userSchemaNames.length === 0 && schemas.size === 0) return;
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
    const overridden = userSchemaNames.some((name) => key === `modules/${name}.json`);
    validate = (overridden ? undefined : precompiled(key)) ?? schemaValidator().getSchema(key);
    if (validate === undefined) throw new Error(`schema not found: ${key}`);
    compiled.set(key, validate);
  }
  return validate;
}

/** A generated validator carries no `.schema`; the engine reads declared keys from it, so it gets the catalogue's. */
function precompiled(key: string): ValidateFunction | undefined {
  const generated = precompiledValidators[key];
  if (generated === undefined) return undefined;
  return Object.assign(generated, { schema: schemaCatalogue().get(key) });
}

/**
 * A playbook definition with its nested task lists reduced to "an array": tasks are validated one by
 * one with their own positions, and compiling the full graph (every module schema) costs ~100 ms.
 */
export const playbookDefinition = (name: 'play' | 'taskKeywords' | 'blockKeywords' | 'roleImport'): ValidateFunction => validatorFor(`playbook/${name}`);

export const moduleParamsValidator = (module: string): ValidateFunction => validatorFor(`modules/${module}.json`);

/** The YAML inventory's schema, or its serf source's definition alone. */
export const inventoryValidator = (kind: 'inventory' | 'serf'): ValidateFunction => validatorFor(kind === 'inventory' ? 'inventory' : 'inventory/serf');

/** Runs a validator and returns its errors (empty when valid). */
export function schemaErrors(validate: ValidateFunction, value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The property names a schema declares, for "did you mean" suggestions. */
export function declaredProperties(schema: Record<string, unknown>): string[] {
  const properties = schema.properties;
  return properties !== null && typeof properties === 'object' ? Object.keys(properties) : [];
}
