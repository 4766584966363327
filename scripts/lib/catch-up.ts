/**
 * `npm run lab -- start <lab> --catch-up` (ARCHITECTURE.md#lab-lifecycle): bring the platform to the
 * state `<lab>` starts from. Its prerequisites (`requires:`, transitively, in course order:
 * `prerequisites()` of src/catalog.ts) are graded first; those whose checks pass are kept as they
 * are, the others are solved (`start:` then `solve:`, what `lab solve` does), then `<lab>` starts.
 *
 * A lab that passes is never touched. Solving an earlier lab can overwrite a later one's work (l2's
 * solution pushes its own Jenkinsfile over the one l3-helm changed), so when a failing lab has a
 * passing lab that builds on it, nothing is done and the learner is told which lab to fix by hand.
 *
 * The plan is printed before anything runs; the grading reads only. What grades, solves and starts
 * is given (`CatchUpDeps`): the live platform in scripts/lab.ts, the simulated one in the kit tests
 * (test/kit/catch-up.test.ts).
 */
import { prerequisites, type Lab } from '../../src/catalog.js';
import { LabError } from '../../src/errors.js';
import { L, t, type Lang } from '../../src/i18n.js';

export interface CatchUpDeps {
  /** The ids of the lab's checks that fail on the platform as it is now (read only). */
  failing(lab: Lab): Promise<string[]>;
  /** `start:` then `solve:` of the lab (what `npm run lab -- solve` does). */
  solve(lab: Lab): Promise<void>;
  /** `start:` of the lab. */
  start(lab: Lab): Promise<void>;
  log(line: string): void;
}

export interface CatchUpEntry {
  lab: Lab;
  /** Its failing checks when graded; none: it passes and is kept as it is. */
  failing: string[];
  solve: boolean;
}

export interface CatchUpPlan {
  lab: Lab;
  entries: CatchUpEntry[];
  /** Failing labs that passing labs build on: solving them would overwrite the learner's work there. */
  conflicts: { lab: Lab; passing: Lab[] }[];
}

/** Does `lab` build on `on`, directly or through another lab of `labs`? */
const buildsOn = (lab: Lab, on: Lab, labs: Lab[]) => prerequisites(lab, labs).some((l) => l.id === on.id);

/** Grade every prerequisite of the lab, in course order, and decide what to solve. */
export async function planCatchUp(lab: Lab, failing: CatchUpDeps['failing'], labs?: Lab[]): Promise<CatchUpPlan> {
  const before = labs ? prerequisites(lab, labs) : prerequisites(lab);
  const entries: CatchUpEntry[] = [];
  for (const l of before) {
    const f = await failing(l);
    entries.push({ lab: l, failing: f, solve: f.length > 0 });
  }
  const all = labs ?? before.concat(lab);
  const conflicts = entries
    .filter((e) => e.solve)
    .map((e) => ({ lab: e.lab, passing: entries.filter((p) => !p.solve && buildsOn(p.lab, e.lab, all)).map((p) => p.lab) }))
    .filter((c) => c.passing.length);
  return { lab, entries, conflicts };
}

export function renderCatchUp(plan: CatchUpPlan, lang: Lang): string[] {
  const say = (ko: string, en: string) => t(L(ko, en), lang);
  const width = Math.max(plan.lab.id.length, ...plan.entries.map((e) => e.lab.id.length));
  const lines = [
    plan.entries.length
      ? say(`${plan.lab.id}까지 따라잡기: 앞 실습을 지금 채점한 결과(과정 순서):`, `Catching up to ${plan.lab.id}: its prerequisites as graded now, in course order:`)
      : say(`${plan.lab.id}은(는) 앞 실습의 결과가 필요 없습니다. 시작만 합니다.`, `${plan.lab.id} builds on no other lab: it only starts.`),
  ];
  for (const e of plan.entries) {
    lines.push(
      e.solve
        ? `  → ${e.lab.id.padEnd(width)}  ${say(`통과하지 않는 검사: ${e.failing.join(', ')} — 정답을 적용합니다(lab solve)`, `failing: ${e.failing.join(', ')} — solved (as lab solve does)`)}`
        : `  ✓ ${e.lab.id.padEnd(width)}  ${say('모든 검사 통과 — 그대로 둡니다', 'passes — kept as it is')}`,
    );
  }
  lines.push(`  → ${plan.lab.id.padEnd(width)}  ${say('시작합니다(lab start)', 'started (lab start)')}`);
  for (const c of plan.conflicts) {
    const passing = c.passing.map((l) => l.id).join(', ');
    lines.push(
      say(
        `✗ ${c.lab.id}은(는) 통과하지 않는데 그 위에 만든 ${passing}은(는) 통과합니다. ${c.lab.id}의 정답을 적용하면 ${passing}에서 한 작업을 덮어쓰므로 아무것도 하지 않습니다. ${c.lab.id}을(를) 직접 고치세요(npm test -- ${c.lab.id}).`,
        `✗ ${c.lab.id} fails, but ${passing}, which build${c.passing.length > 1 ? '' : 's'} on it, pass${c.passing.length > 1 ? '' : 'es'}: solving ${c.lab.id} would overwrite your work in ${passing}, so nothing is done. Fix ${c.lab.id} yourself (npm test -- ${c.lab.id}).`,
      ),
    );
  }
  return lines;
}

/**
 * Carry the plan out: solve the failing prerequisites in order, grade them again (each must pass
 * now), then start the lab. A plan with conflicts does nothing.
 */
export async function runCatchUp(plan: CatchUpPlan, deps: CatchUpDeps, lang: Lang): Promise<void> {
  if (plan.conflicts.length) throw new LabError(L(`따라잡지 않았습니다: ${plan.conflicts.map((c) => c.lab.id).join(', ')}을(를) 먼저 고치세요.`, `Did not catch up: fix ${plan.conflicts.map((c) => c.lab.id).join(', ')} first.`), 1);
  for (const e of plan.entries.filter((x) => x.solve)) {
    deps.log(t(L(`\n${e.lab.id}: 정답을 적용합니다.`, `\n${e.lab.id}: solving.`), lang));
    await deps.solve(e.lab);
    const still = await deps.failing(e.lab);
    if (still.length) {
      throw new LabError(L(
        `${e.lab.id}의 정답을 적용했지만 검사 ${still.join(', ')}이(가) 아직 통과하지 않습니다. npm test -- ${e.lab.id}로 이유를 보세요.`,
        `${e.lab.id} was solved, but ${still.join(', ')} still fail${still.length > 1 ? '' : 's'}. See why with npm test -- ${e.lab.id}.`,
      ), 1);
    }
  }
  deps.log(t(L(`\n${plan.lab.id}: 시작합니다.`, `\n${plan.lab.id}: starting.`), lang));
  await deps.start(plan.lab);
}
