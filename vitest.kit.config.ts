// The kit's own tests (`npm run test:kit`): no cluster, no Docker, no internet.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/kit/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    watch: false,
  },
});
