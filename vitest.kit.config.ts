// The kit's own tests (`npm run test:kit`): no cluster, no Docker, no internet.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/kit/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on the 2-core machines
    // this runs on, idle while tests wait on the real tools they spawn (kubectl, helm, git, tsx,
    // Chromium, PostgreSQL). Three keeps both cores busy.
    maxWorkers: 3,
    watch: false,
  },
});
