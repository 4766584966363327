/**
 * The grading engine, outside the test runner: what a grader is, running its checks on a state,
 * finding the graders, getting a state (a snapshot file, or collected live, polling until a
 * deadline for eventual state). `npm test` (scripts/grade.ts) grades with it; the kit tests use it
 * to grade snapshots directly; src/grader.ts registers the Vitest suites on it.
 *
 * The live collectors (and @kubernetes/client-node behind them) are imported only when a live
 * state is wanted: grading a snapshot, or answering bad input, starts without them.
 */
const live = () => import('./collect/index.js');
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkDocsLink, getLab } from './catalog.js';
import { fail, skip, type CheckResult, type LabResult, type Outcome } from './checks.js';
import { LabError } from './errors.js';
import { L } from './i18n.js';
import type { Needs } from './needs.js';
import { graderFile, rel } from './paths.js';
import { loadSnapshot, type Snapshot } from './snapshot.js';
import { LabState, NotCaptured, NotFound, SourceUnavailable } from './state.js';
import { poll } from './wait.js';

/** One check: a function of the state (src/state.ts) that returns an outcome (src/checks.ts). */
export type CheckFn = (state: LabState) => Outcome;

/** What test/grade/<lab>.test.ts exports (through defineGrader, src/grader.ts). */
export interface Grader {
  lab: string;
  needs: Needs;
  checks: Record<string, CheckFn>;
}

/** The outcome of one check, with the failures that are not the learner's turned into results. */
function runCheck(fn: CheckFn, state: LabState): Outcome {
  try {
    return fn(state);
  } catch (error) {
    if (error instanceof NotFound) return fail(error.expected, error.observed, error.details);
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

export async function loadGrader(labId: string): Promise<Grader> {
  const lab = getLab(labId);
  const file = graderFile(lab.id);
  if (!existsSync(file)) {
    throw new LabError(L(
      `실습 ${lab.id}의 채점기(${rel(file)})가 아직 없습니다. 이 실습은 labs/pending.yaml에 있는, 아직 만들어지는 중인 실습입니다.`,
      `Lab ${lab.id} has no grader yet (${rel(file)}): it is one of the labs still being built (labs/pending.yaml).`,
    ));
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: Grader };
  if (!module.default || module.default.lab !== lab.id) throw new Error(`${rel(file)} must export default defineGrader({ lab: '${lab.id}', … })`);
  return module.default;
}

export function loadGraders(labIds: string[]): Promise<Grader[]> {
  return Promise.all(labIds.map(loadGrader));
}

export function gradeAll(graders: Grader[], state: LabState): LabResult[] {
  return graders.map((g) => gradeLab(g, state));
}

export interface LiveOptions {
  context?: string;
  /** Seconds to keep re-collecting while a check fails (LAB_WAIT); 0 collects once. */
  waitSeconds?: number;
  intervalSeconds?: number;
  onRetry?: (failing: number, secondsLeft: number) => void;
  /** For tests: the collector (else the live one), the clock and the pause. */
  collect?: (needs: Needs[], options: { context?: string }) => Promise<Snapshot>;
  now?: () => number;
  pause?: (ms: number) => Promise<void>;
}

/**
 * Collect live and grade; while checks fail and the deadline (LAB_WAIT) has not passed, collect
 * again — a rollout still in progress gets time to finish. Returns the last state collected, passing
 * or not: past the deadline the learner is graded on the state as it is.
 */
export async function collectUntilSettled(graders: Grader[], options: LiveOptions = {}): Promise<{ snapshot: Snapshot; results: LabResult[] }> {
  const collect = options.collect ?? (await live()).collect;
  const failingIn = (results: LabResult[]) => results.flatMap((r) => r.checks).filter((c) => c.status === 'fail').length;
  const last = await poll(
    async () => {
      const snapshot = await collect(graders.map((g) => g.needs), { context: options.context });
      const results = gradeAll(graders, new LabState(snapshot, 'live'));
      return { done: failingIn(results) === 0, value: { snapshot, results } };
    },
    {
      timeoutMs: (options.waitSeconds ?? 0) * 1000,
      intervalMs: (options.intervalSeconds ?? 3) * 1000,
      onPending: (answer, left) => options.onRetry?.(failingIn(answer.value!.results), Math.ceil(left / 1000)),
      now: options.now,
      pause: options.pause,
    },
  );
  return last.value!;
}

/**
 * The state a grader suite runs on when Vitest runs the graders (`npm test` grades without Vitest):
 * a snapshot (LAB_SNAPSHOT), or one live collection of this lab's needs.
 */
export async function stateForGrading(grader: Grader, env: NodeJS.ProcessEnv = process.env): Promise<LabState> {
  if (env.LAB_SNAPSHOT) return new LabState(loadSnapshot(env.LAB_SNAPSHOT), 'snapshot');
  const { collect } = await live();
  return new LabState(await collect([grader.needs], { context: env.LAB_CONTEXT }), 'live');
}
