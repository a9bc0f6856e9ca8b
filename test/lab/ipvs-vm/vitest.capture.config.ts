import { defineConfig } from 'vitest/config';

/** Runs only the fixture capture (by hand): `npx vitest run -c test/lab/ipvs-vm/vitest.capture.config.ts`. */
export default defineConfig({
  test: {
    include: ['test/lab/ipvs-vm/capture-fixtures.ts'],
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
