// The kit's own tests (`npm run test:kit`): no cluster, no Docker, no internet.
import { defineConfig } from 'vitest/config';

// Tests that build the docs site into docs/.vitepress/dist and read it in Chromium run after the
// others, so that docs.test.ts's own build of the same folder never changes it under them.
const AFTER_DOCS_BUILD = ['test/kit/docs-course.test.ts'];

export default defineConfig({
  test: {
    // Provisions kubectl and helm from node_modules and names missing OS packages, once per run.
    globalSetup: ['test/lib/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    watch: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'kit',
          include: ['test/kit/**/*.test.ts'],
          exclude: AFTER_DOCS_BUILD,
          // Vitest's default is one worker per core minus one: a single worker on the 2-core
          // machines this runs on, idle while tests wait on the real tools they spawn (kubectl,
          // helm, git, tsx, Chromium, PostgreSQL). Three keeps both cores busy.
          maxWorkers: 3,
          // Test files share their worker's modules instead of loading them again for each file
          // (40 s of imports less); a test that changes process-wide state puts it back.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'docs', include: AFTER_DOCS_BUILD, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
