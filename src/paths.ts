import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rackplay') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`rackplay package root not found above ${start}`);
    dir = parent;
  }
}

/** The package root, whether running from src/ (tests) or dist/src/ (the CLI). */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const schemasDir = join(packageRoot, 'schemas');
