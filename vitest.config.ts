// The graders (`npm test`): test/grade/<lab>.test.ts, reported by the kit's own reporter.
// Run through scripts/grade.ts, which checks the input and prepares the state first.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/grade/**/*.test.ts'],
    env: { CICD_LAB_GRADING: '1' },
    reporters: ['./src/report/vitest-reporter.ts'],
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 10 * 60_000,
    // Graders only read; nothing to isolate between labs, and sharing the module cache is faster.
    isolate: false,
    watch: false,
  },
});
