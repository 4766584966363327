/**
 * The Vitest reporter of the graders (vitest.config.ts), for when Vitest runs them itself
 * (`npx vitest run --config vitest.config.ts`, an editor's test explorer): it reads the CheckResult
 * each grader test attaches to its task meta (src/grader.ts) and prints and writes exactly what
 * `npm test` does (src/report/grade-output.ts).
 */
import type { Reporter, TestModule } from 'vitest/node';
import type { CheckResult, LabResult } from '../checks.js';
import { getLab } from '../catalog.js';
import { detectLang } from '../i18n.js';
import { rel } from '../paths.js';
import { printAndWriteGrades } from './grade-output.js';

export default class CicdLabReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
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
    const labs: LabResult[] = [...byLab.entries()].map(([id, checks]) => ({ lab: id, title: getLab(id).title, checks }));
    const mode = process.env.LAB_SNAPSHOT ? 'snapshot' : 'live';
    printAndWriteGrades(labs, { lang: detectLang(), mode, context, learner: process.env.LAB_LEARNER, problems });
  }
}
