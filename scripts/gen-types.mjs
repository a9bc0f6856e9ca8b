// Writes modules/<name>/params.generated.ts from schemas/modules/<name>.json (run after `npm run build`).
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { paramsTypeSource } from '../dist/src/module/schema-to-type.js';

const root = new URL('..', import.meta.url).pathname;
for (const file of readdirSync(join(root, 'schemas', 'modules'))) {
  const name = file.replace(/\.json$/, '');
  if (!existsSync(join(root, 'modules', name))) continue;
  const schema = JSON.parse(readFileSync(join(root, 'schemas', 'modules', file), 'utf8'));
  writeFileSync(join(root, 'modules', name, 'params.generated.ts'), paramsTypeSource(name, schema));
  console.log(`modules/${name}/params.generated.ts`);
}
