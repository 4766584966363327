/**
 * The Vitest reporter of `npm test`: prints each lab's checks as sentences and the summary
 * table last, in the learner's language, and writes reports/grade.json and reports/junit.xml.
 * It reads the CheckResult each grader test attaches to its task meta (src/grader.ts), so the
 * files say exactly what the tests decided.
 */
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { catalog } from '../catalog.js';
import type { CheckResult, LabResult } from '../checks.js';
import { getLab } from '../catalog.js';
import { detectLang, L, t, type Lang } from '../i18n.js';
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

export default class CicdLabReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    const lang = detectLang();
    const byLab = new Map<string, CheckResult[]>();
    const problems: string[] = [];
    let context: string | undefined;
    for (const module of modules) {
      for (const error of module.errors()) problems.push(`${rel(module.moduleId)}: ${error.message}`);
      for (const test of module.children.allTests()) {
        const meta = test.meta();
        if (meta.cicdLab) {
          const list = byLab.get(meta.cicdLab.lab) ?? [];
          list.push(meta.cicdLab);
          byLab.set(meta.cicdLab.lab, list);
          context ??= meta.cicdLabContext;
        } else {
          for (const error of test.result().errors ?? []) problems.push(`${test.fullName}: ${error.message}`);
        }
      }
    }
    for (const error of unhandledErrors) problems.push(String(error.message));

    const order = catalog().labs.map((l) => l.id);
    const labs: LabResult[] = [...byLab.entries()]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([id, checks]) => ({ lab: id, title: getLab(id).title, checks }));

    if (labs.length) console.log(`\n${renderReport(labs, lang)}`);
    const unique = [...new Set(problems)];
    if (unique.length) console.error(`\n${unique.map((p) => `✗ ${p}`).join('\n')}`);
    if (!labs.length) return;

    const mode = process.env.LAB_STATE_MODE === 'live' || (!process.env.LAB_SNAPSHOT && !process.env.LAB_STATE_FILE) ? 'live' : 'snapshot';
    const report = buildGradeReport(labs, { context, mode, lang, learner: process.env.LAB_LEARNER });
    const paths = reportPaths();
    writeReports(report, paths);
    if (paths.learner) writeReports(report, { json: paths.learner });
    const written = [paths.json, paths.junit, paths.learner].filter(Boolean).map((p) => rel(p!));
    console.log(`\n${reportsLine(written, lang)}`);
  }
}
