// The graders as Vitest suites (test/grade/<lab>.test.ts), reported by the kit's own reporter, which
// prints and writes what `npm test` does: `npx vitest run --config vitest.config.ts [<lab>]`, or an
// editor's test explorer. `npm test` (scripts/grade.ts) runs the same checks without Vitest.
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
