import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'user-modules');

/**
 * `npm run build` (tsc, precompiled validators, bundle) into a package folder of its own (package.json, bin/, schemas/ and the build's dist/), so that
 * the repo's dist/, which other tests import, is never rewritten under them. Returns the build time.
 */
export function buildPackageInto(packageRoot: string): number {
  mkdirSync(packageRoot, { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(packageRoot, 'package.json'));
  cpSync(join(repoRoot, 'bin'), join(packageRoot, 'bin'), { recursive: true });
  symlinkSync(join(repoRoot, 'schemas'), join(packageRoot, 'schemas'), 'dir');
  // The package's dependencies (ajv, yaml, …) as an install would provide them.
  symlinkSync(join(repoRoot, 'node_modules'), join(packageRoot, 'node_modules'), 'dir');
  const started = performance.now();
  // tsc emits even when another file in the tree has a type error; the tests check what they need from dist.
  try {
    execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', join(packageRoot, 'dist')], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    if (!existsSync(join(packageRoot, 'dist', 'src', 'index.js'))) throw error;
  }
  // The rest of `npm run build`: precompiled validators, then the bundle bin/rackplay.js and the package's exports load.
  for (const script of ['precompile-validators.mjs', 'bundle.mjs']) execFileSync(process.execPath, [join(repoRoot, 'scripts', script), join(packageRoot, 'dist')], { cwd: repoRoot, stdio: 'pipe' });
  return performance.now() - started;
}

/** The fixture modules import 'rackplay', which resolves to this repo's dist/ (npm ci builds it): fail clearly without it. */
export function ensureBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'src', 'index.js'))) throw new Error(`no ${join(repoRoot, 'dist', 'src', 'index.js')}: run npm run build first`);
}

/** A user's project folder with rackplay installed in node_modules (a link, as `npm link` makes; this repo by default). */
export async function projectWithRackplay(dir: string, packageRoot = repoRoot): Promise<void> {
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(packageRoot, join(dir, 'node_modules', 'rackplay'), 'dir');
}

/**
 * Installs the sysctl fixture package into a project's node_modules as npm would from a tarball: package.json
 * from the package fixture, the module files (index.mjs, schema.json) from the sysctl fixture folder.
 */
export async function installSysctlPackage(dir: string): Promise<string> {
  const target = join(dir, 'node_modules', 'rackplay-module-sysctl');
  await mkdir(target, { recursive: true });
  await cp(join(fixturesDir, 'rackplay-module-sysctl-pkg', 'package.json'), join(target, 'package.json'));
  for (const file of ['index.mjs', 'schema.json']) await cp(join(fixturesDir, 'sysctl', file), join(target, file));
  return target;
}
