import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'test/electron/**', 'node_modules/**'],
    // dist/ fresh for the tests that start the bundles; one PostgreSQL cluster per run, started by the first file that needs it.
    globalSetup: ['test/global-setup.ts', 'test/helpers/pg-global-setup.ts'],
    pool: 'forks',
    // Most test time is spent waiting on child processes (portals, back ends, pdfsig, java), so even a
    // 2-core machine runs two files at once (vitest's default there is one).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files share a worker's module cache: importing the signing, PDF and portal modules again for each of
    // ~100 files cost 40 % of the unit stage's CPU. Files must therefore leave no global state behind.
    isolate: false,
    // Deadlines, not expectations: generous, so a loaded machine (the unit and e2e stages share two cores) still passes.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: process.env.VITEST_JSON ? ['default', ['json', { outputFile: process.env.VITEST_JSON }]] : ['default'],
  },
});
