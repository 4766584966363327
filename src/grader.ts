/**
 * defineGrader: how a lab's grader (test/grade/<lab>.test.ts) is written.
 *
 *   export default defineGrader({
 *     lab: 's3-bluegreen',
 *     needs: { kubernetes: [{ kinds: ['Deployment', 'Service'], namespaces: ['s3-bluegreen'] }] },
 *     checks: { 'green-ready': (state) => …, … },   // one function per check id of lab.yaml
 *   });
 *
 * A grader file serves two callers. The engine (src/engine.ts) loads it and runs its checks as
 * plain functions (fast, no test runner: `gradeLab`; `npm test` grades that way). When Vitest runs
 * the graders (vitest.config.ts sets CICD_LAB_GRADING=1), defineGrader also registers one Vitest
 * suite named after the lab, with one test per check named `[<check-id>] <title>` (a contract:
 * ARCHITECTURE.md#contracts). This module is only that registration: the grading itself is the
 * engine's, which knows nothing of Vitest.
 */
import { getLab, type Lab } from './catalog.js';
import { resultDetails, type CheckResult } from './checks.js';
import { gradeLab, stateForGrading, type Grader } from './engine.js';
import { detectLang, t } from './i18n.js';

declare module '@vitest/runner' {
  interface TaskMeta {
    cicdLab?: CheckResult;
    cicdLabContext?: string;
  }
}

function assertMatchesCatalog(lab: Lab, grader: Grader): void {
  const want = lab.checks.map((c) => c.id);
  const have = Object.keys(grader.checks);
  const missing = want.filter((id) => !have.includes(id));
  const extra = have.filter((id) => !want.includes(id));
  if (missing.length || extra.length) {
    throw new Error(
      `grader for ${lab.id} does not match labs/${lab.id}/lab.yaml:` +
        (missing.length ? ` missing checks ${missing.join(', ')};` : '') +
        (extra.length ? ` checks not in the catalog ${extra.join(', ')}` : ''),
    );
  }
}

const vitest = process.env.CICD_LAB_GRADING === '1' ? await import('vitest') : undefined;

export function defineGrader(grader: Grader): Grader {
  const lab = getLab(grader.lab);
  assertMatchesCatalog(lab, grader);
  if (vitest) registerSuite(lab, grader, vitest);
  return grader;
}

function registerSuite(lab: Lab, grader: Grader, v: typeof import('vitest')): void {
  const lang = detectLang();
  v.describe(lab.id, () => {
    let results: Map<string, CheckResult> | undefined;
    let context: string | undefined;
    v.beforeAll(async () => {
      const state = await stateForGrading(grader);
      context = state.context;
      results = new Map(gradeLab(grader, state).checks.map((r) => [r.id, r]));
    }, 10 * 60_000);
    for (const spec of lab.checks) {
      v.it(`[${spec.id}] ${t(spec.title, lang)}`, (ctx) => {
        const result = results?.get(spec.id);
        if (!result) throw new Error('the lab state could not be read (see the error above)');
        ctx.task.meta.cicdLab = result;
        ctx.task.meta.cicdLabContext = context;
        if (result.status === 'skip') ctx.skip(t(result.reason, lang));
        if (result.status === 'fail') {
          const failure = new Error(resultDetails(result, lang).join('\n'));
          failure.name = 'CheckFailed';
          failure.stack = failure.message; // a failed check is an answer, not a crash: no stack trace
          throw failure;
        }
      });
    }
  });
}
