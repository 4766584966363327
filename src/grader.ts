/**
 * defineGrader: how a lab's grader (test/grade/<lab>.test.ts) is written.
 *
 *   export default defineGrader({
 *     lab: 's3-bluegreen',
 *     needs: { kubernetes: [{ kinds: ['Deployment', 'Service'], namespaces: ['s3-bluegreen'] }] },
 *     checks: { 'green-ready': (state) => …, … },   // one function per check id of lab.yaml
 *   });
 *
 * The same module serves two callers. The engine imports it and runs the checks as plain
 * functions (fast, no test runner: `gradeLab`). Under `npm test` (vitest.config.ts sets
 * CICD_LAB_GRADING=1) it also registers one Vitest suite named after the lab, with one test per
 * check named `[<check-id>] <title>` (DESIGN §5).
 */
import { getLab, checkDocsLink, type Lab } from './catalog.js';
import { fail, resultDetails, skip, type CheckResult, type LabResult, type Outcome } from './checks.js';
import { detectLang, L, t } from './i18n.js';
import type { Needs } from './needs.js';
import { NotCaptured, SourceUnavailable, type LabState } from './state.js';

export type CheckFn = (state: LabState) => Outcome;

export interface Grader {
  lab: string;
  needs: Needs;
  checks: Record<string, CheckFn>;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    cicdLab?: CheckResult;
    cicdLabContext?: string;
  }
}

/** The outcome of one check, with the failures that are not the learner's turned into results. */
function runCheck(fn: CheckFn, state: LabState): Outcome {
  try {
    return fn(state);
  } catch (error) {
    if (error instanceof NotCaptured) return skip(error.reason);
    if (error instanceof SourceUnavailable) {
      return fail(L('읽을 수 있는 상태', 'a state that can be read'), error.message, {
        hint: L('플랫폼의 이 부분을 읽을 수 없었습니다. `npm run status`로 각 구성 요소의 상태를 보세요.', 'This part of the platform could not be read. `npm run status` shows the health of each component.'),
      });
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return fail(L('채점기가 정상적으로 동작', 'the grader to run'), `grader error — ${detail}`, {
      hint: L('채점기의 버그입니다. 이 메시지와 함께 이슈로 알려 주세요.', 'This is a bug in the grader. Please report it with this message.'),
    });
  }
}

/** Run every check of a lab (all of them, even after a failure) on one state. */
export function gradeLab(grader: Grader, state: LabState): LabResult {
  const lab = getLab(grader.lab);
  return {
    lab: lab.id,
    title: lab.title,
    checks: lab.checks.map((spec): CheckResult => {
      const outcome = runCheck(grader.checks[spec.id], state);
      const base = {
        lab: lab.id,
        id: spec.id,
        title: spec.title,
        docs: { ko: checkDocsLink(lab, spec, 'ko'), en: checkDocsLink(lab, spec, 'en') },
      };
      if (outcome.status === 'pass') return { ...base, status: 'pass', observed: outcome.observed };
      if (outcome.status === 'skip') return { ...base, status: 'skip', reason: outcome.reason };
      return { ...base, status: 'fail', expected: outcome.expected, observed: outcome.observed, hint: outcome.hint ?? spec.hint, evidence: outcome.evidence };
    }),
  };
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
      const { stateForGrading } = await import('./engine.js');
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
