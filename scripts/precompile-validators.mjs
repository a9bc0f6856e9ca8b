// Build step: ajv's standalone code for every built-in schema, so a run validates without loading ajv's
// compiler. It replaces the empty table tsc emitted for src/validate/precompiled.ts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { precompiledValidatorsSource } from '../dist/src/validate/precompile.js';

const target = fileURLToPath(new URL('../dist/src/validate/precompiled.js', import.meta.url));
const source = precompiledValidatorsSource();
writeFileSync(target, source);
console.log(`build: ${(source.length / 1024).toFixed(0)} KiB of precompiled validators in ${target}`);
