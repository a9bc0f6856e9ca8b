// Build step: ajv's standalone code for every built-in schema, so a run validates without loading ajv's
// compiler. It replaces the empty table tsc emitted for src/validate/precompiled.ts.
//   node scripts/precompile-validators.mjs [DIST]   (DIST: tsc's output folder, dist/ by default)
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);
const { precompiledValidatorsSource } = await import(pathToFileURL(join(dist, 'src', 'validate', 'precompile.js')).href);
const target = join(dist, 'src', 'validate', 'precompiled.js');
const source = precompiledValidatorsSource();
writeFileSync(target, source);
console.log(`build: ${(source.length / 1024).toFixed(0)} KiB of precompiled validators in ${target}`);
