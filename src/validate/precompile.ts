import { createRequire } from 'node:module';
import { newAjv } from './ajv.js';
import { schemaCatalogue } from './schema-catalogue.js';

const require = createRequire(import.meta.url);

/**
 * ajv's standalone code for every schema of the catalogue, as one ES module exporting `precompiledValidators`
 * (key → validate function). The build writes it over dist/src/validate/precompiled.js.
 */
export function precompiledValidatorsSource(): string {
  const standaloneCode = (require('ajv/dist/standalone/index.js') as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;
  const ajv = newAjv({ code: { source: true, esm: true } });
  const exportNames: Record<string, string> = {};
  const table: string[] = [];
  for (const [index, [key, schema]] of [...schemaCatalogue()].entries()) {
    ajv.addSchema(schema, key);
    exportNames[`validator${index}`] = key;
    table.push(`  ${JSON.stringify(key)}: validator${index},`);
  }
  // ajv's ESM output still calls require() for its runtime helpers (string length, deep equal); an ES module gets one.
  const preamble = ['import { createRequire } from "node:module";', 'const require = createRequire(import.meta.url);'];
  const code = standaloneCode(ajv, exportNames);
  return ['// Generated from the schema catalogue by the build (scripts/precompile-validators.mjs); do not edit.', ...preamble, code, `export const precompiledValidators = {\n${table.join('\n')}\n};`, ''].join('\n');
}
