// Build step: one bundle of the CLI and the public API (shared chunks, so a user module's `import 'rackplay'`
// and the CLI share one engine and its error classes). Loading ~300 files cost a run ~150 ms; the bundle does not.
// ssh2 stays outside: it loads native addons by path, and a run without SSH never imports it; so does ajv,
// which only a user module's schema needs (the built-in ones are precompiled).
//   node scripts/bundle.mjs [DIST]   (DIST: tsc's output folder, dist/ by default)
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'rolldown';

const dist = `${resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname)}/`;
rmSync(`${dist}bundle`, { recursive: true, force: true });
await build({
  input: { cli: `${dist}src/cli/main.js`, index: `${dist}src/index.js` },
  platform: 'node',
  external: [/^ssh2(\/|$)/, /^ajv(\/|$)/],
  logLevel: 'warn',
  output: { dir: `${dist}bundle`, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: false },
});
console.log(`build: bundle in ${dist}bundle`);
