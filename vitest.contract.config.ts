// The contract tier (`npm run test:contract`): the pinned charts rendered by the real helm with exactly
// the values `up` installs them with, and what the platform depends on in them asserted. The charts
// come from `npm run prefetch`'s cache (.lab/cache/charts) or from the folder LAB_CONTRACT_CHARTS
// names; with none at hand every test skips, saying so (test/contract/charts.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/contract/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    watch: false,
    reporters: ['verbose'],
  },
});
