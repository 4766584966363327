// The integration tier (`npm run test:integration`, ARCHITECTURE.md#test-tiers): a real Kubernetes
// (K3s through testcontainers) where Docker exists; the tests skip with the reason printed where it
// does not.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    testTimeout: 10 * 60_000,
    hookTimeout: 15 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    watch: false,
    reporters: ['verbose'],
  },
});
