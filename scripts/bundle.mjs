// Build step: one bundle of the CLI and the public API (shared chunks, so a user module's `import 'rackplay'`
// and the CLI share one engine and its error classes). Loading ~300 files cost a run ~150 ms; the bundle does not.
// ssh2 stays outside: it loads native addons by path, and a run without SSH never imports it.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
rmSync(`${dist}bundle`, { recursive: true, force: true });
await build({
  input: { cli: `${dist}src/cli/main.js`, index: `${dist}src/index.js` },
  platform: 'node',
  external: [/^ssh2(\/|$)/, /^ajv(\/|$)/],
  logLevel: 'warn',
  output: { dir: `${dist}bundle`, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: false },
});
console.log(`build: bundle in ${dist}bundle`);
