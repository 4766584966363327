/**
 * What grading prints and writes, whoever ran the checks: each lab's checks as sentences and the
 * summary table last, in the learner's language, any problem that is not a check's answer, and
 * reports/grade.json and reports/junit.xml (plus reports/<learner>.grade.json with --learner), and
 * the learner's progress record (.lab/progress.json) after a live grading.
 * `npm test` (scripts/grade.ts, which runs the checks itself) and the Vitest reporter of the graders
 * (src/report/vitest-reporter.ts, when Vitest runs them) both end here, so both print the same.
 */
import { join } from 'node:path';
import { catalog } from '../catalog.js';
import type { LabResult } from '../checks.js';
import { LabError } from '../errors.js';
import { L, t, type Lang } from '../i18n.js';
import { progressPath, readProgress, recordGrades, writeProgress, type Progress } from '../progress.js';
import { REPORTS_DIR, rel } from '../paths.js';
import { buildGradeReport, writeReports } from './grade-report.js';
import { renderReport } from './table.js';

export function reportPaths(env: NodeJS.ProcessEnv = process.env) {
  const dir = env.LAB_REPORTS_DIR ?? REPORTS_DIR;
  return {
    json: join(dir, 'grade.json'),
    junit: join(dir, 'junit.xml'),
    learner: env.LAB_LEARNER ? join(dir, `${env.LAB_LEARNER}.grade.json`) : undefined,
  };
}

/** The last line of `npm test`: where the reports went (the docs' sample outputs end with it too). */
export function reportsLine(written: string[], lang: Lang): string {
  return t(L(`보고서: ${written.join(', ')}`, `Reports: ${written.join(', ')}`), lang);
}

export interface GradeOutput {
  lang: Lang;
  mode: 'live' | 'snapshot';
  context?: string;
  learner?: string;
  /** Errors that are not a check's answer (a grader that could not be loaded, …). */
  problems?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * The learner's progress (src/progress.ts) after this grading: a live grading records first passes
 * and resets the hint levels of passing checks; a snapshot's grading only reads it (a snapshot may
 * be anyone's, from any time). A record that cannot be read is said, and grading goes on without it.
 */
function recordProgress(labs: LabResult[], out: GradeOutput, env: NodeJS.ProcessEnv): Progress | undefined {
  const file = progressPath(env);
  try {
    const progress = readProgress(file);
    if (out.mode === 'live') writeProgress(recordGrades(progress, labs, new Date()), file);
    return progress;
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    console.error(`✗ ${t(error.text, out.lang)}`);
    return undefined;
  }
}

/** Print the results (in catalog order) and write the reports; nothing is written when no lab was graded. */
export function printAndWriteGrades(results: LabResult[], out: GradeOutput): void {
  const order = catalog().labs.map((l) => l.id);
  const labs = [...results].sort((a, b) => order.indexOf(a.lab) - order.indexOf(b.lab));
  if (labs.length) console.log(`\n${renderReport(labs, out.lang)}`);
  const problems = [...new Set(out.problems ?? [])];
  if (problems.length) console.error(`\n${problems.map((p) => `✗ ${p}`).join('\n')}`);
  if (!labs.length) return;
  const env = out.env ?? process.env;
  const progress = recordProgress(labs, out, env);
  const report = buildGradeReport(labs, { context: out.context, mode: out.mode, lang: out.lang, learner: out.learner, progress: out.learner ? progress : undefined });
  const paths = reportPaths({ ...env, LAB_LEARNER: out.learner });
  writeReports(report, paths);
  if (paths.learner) writeReports(report, { json: paths.learner });
  const written = [paths.json, paths.junit, paths.learner].filter(Boolean).map((p) => rel(p!));
  console.log(`\n${reportsLine(written, out.lang)}`);
}
