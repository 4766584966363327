#!/usr/bin/env -S npx tsx
/**
 * npm test  [-- <lab>…] [--context <name>]
 * npm run grade -- [<lab>…] [--save <file.json|yaml>] [--learner <name>] [--context <name>]
 *
 * Grades labs with the graders in test/grade/. First checks its input, then gets the state once for
 * every lab — a snapshot file, or one live collection of what the graders need, repeated while
 * checks fail until LAB_WAIT seconds have passed — and runs every check on it with the grading
 * engine (src/engine.ts), in this process: a grader file is also a Vitest suite, for Vitest and
 * editors (`npx vitest run --config vitest.config.ts`), but starting Vitest here would cost a
 * learner who grades after every change more than all the checks together.
 * With no lab named, grades every lab that has a grader.
 *
 * Options:
 *   --context <name>   act on this kube context instead of kind-cicd-lab (also LAB_CONTEXT)
 *   --snapshot <file>  grade a saved snapshot instead of the cluster (also LAB_SNAPSHOT)
 *   --save <file>      also write the collected state as a snapshot (JSON, or YAML for .yaml/.yml)
 *   --learner <name>   also write reports/<name>.grade.json, for the instructor (and put the name
 *                      in the snapshot --save writes); see scripts/class-report.ts
 *
 * Environment:
 *   LAB_SNAPSHOT   snapshot file to grade            LAB_CONTEXT  kube context to use
 *   LAB_WAIT       seconds to keep polling a live cluster while checks fail (default 15)
 *   LAB_LANG       ko | en (else from LANG)          LAB_REPORTS_DIR  where reports go (reports/)
 *   LAB_DOCS_URL   docs site to link hints to (else the docs file in the repository)
 *
 * Exit: 0 all checks pass or skip · 1 a check failed · 2 bad input or no cluster · 70 a kit bug.
 */
import { catalog, getLab } from '../src/catalog.js';
import type { LabResult } from '../src/checks.js';
import { collectUntilSettled, gradeAll, loadGraders } from '../src/engine.js';
import { LabError, runMain } from '../src/errors.js';
import { detectLang, L, t } from '../src/i18n.js';
import { isLearnerName } from '../src/report/hand-ins.js';
import { printAndWriteGrades } from '../src/report/grade-output.js';
import { loadSnapshot, saveSnapshot, type Snapshot } from '../src/snapshot.js';
import { LabState } from '../src/state.js';
import { printHelp, wantsHelp } from './lib/help.js';
import { parseOptions } from './lib/options.js';

const USAGE = L(
  '사용법: npm test [-- <실습>…] [--context <이름>] · npm run grade -- [<실습>…] [--save <파일>] [--learner <이름>]',
  'usage: npm test [-- <lab>…] [--context <name>] · npm run grade -- [<lab>…] [--save <file>] [--learner <name>]',
);

export interface GradeArgs {
  labs: string[];
  context?: string;
  snapshot?: string;
  save?: string;
  learner?: string;
}

export function parseGradeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): GradeArgs {
  const { values, positionals } = parseOptions(argv, { context: { type: 'string' }, snapshot: { type: 'string' }, save: { type: 'string' }, learner: { type: 'string' } }, USAGE);
  if (values.learner !== undefined && !isLearnerName(values.learner)) {
    throw new LabError(L(
      `--learner "${values.learner}"는 파일 이름으로 쓸 수 없습니다: 글자나 숫자로 시작하고 글자, 숫자, . _ -만 쓰세요.`,
      `--learner "${values.learner}" cannot be used as a file name: start with a letter or digit and use only letters, digits, . _ -`,
    ));
  }
  return {
    labs: positionals,
    context: values.context ?? env.LAB_CONTEXT,
    snapshot: values.snapshot ?? env.LAB_SNAPSHOT,
    save: values.save,
    learner: values.learner,
  };
}

function waitSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.LAB_WAIT ?? '15';
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new LabError(L(`LAB_WAIT="${raw}"는 0 이상의 초 수여야 합니다.`, `LAB_WAIT="${raw}" must be a number of seconds, 0 or more.`));
  return value;
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  // npm test and npm run grade both run this script; npm says which one in npm_lifecycle_event.
  if (wantsHelp(argv)) return printHelp(env.npm_lifecycle_event === 'grade' ? 'grade' : 'test', env);
  const lang = detectLang(env);
  const args = parseGradeArgs(argv, env);
  const { pending } = catalog();
  const ids = args.labs.length ? args.labs.map((id) => getLab(id).id) : catalog().labs.map((l) => l.id).filter((id) => !pending.includes(id));
  const graders = await loadGraders(ids);

  let snapshot: Snapshot;
  let results: LabResult[];
  let mode: 'live' | 'snapshot';
  if (args.snapshot) {
    snapshot = loadSnapshot(args.snapshot);
    mode = 'snapshot';
    results = gradeAll(graders, new LabState(snapshot, mode));
  } else {
    const wait = waitSeconds(env);
    ({ snapshot, results } = await collectUntilSettled(graders, {
      context: args.context,
      waitSeconds: wait,
      onRetry: (failing, left) =>
        console.log(t(L(`… 실패한 검사 ${failing}개: 상태가 바뀌기를 기다립니다(최대 ${left}초 더, LAB_WAIT)`, `… ${failing} checks failing: waiting for the state to settle (up to ${left}s more, LAB_WAIT)`), lang)),
    }));
    mode = 'live';
  }
  if (args.save) {
    // A snapshot handed in next to --learner says whose it is (an extra field: the format allows them).
    saveSnapshot(args.save, args.learner ? { ...snapshot, learner: args.learner } : snapshot);
    console.log(t(L(`스냅샷을 저장했습니다: ${args.save}`, `Snapshot saved: ${args.save}`), lang));
  }
  if (pending.length && !args.labs.length) {
    console.log(t(L(`아직 만들어지는 중인 실습 ${pending.length}개는 채점하지 않습니다: ${pending.join(', ')}`, `Not grading ${pending.length} labs still being built: ${pending.join(', ')}`), lang));
  }

  printAndWriteGrades(results, { lang, mode, context: new LabState(snapshot, mode).context, learner: args.learner, env });
  return results.some((lab) => lab.checks.some((c) => c.status === 'fail')) ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/grade.ts')) {
  await runMain(() => main());
}
