/**
 * Synthetic grade files for the class report's tests, written by the kit's own buildGradeReport,
 * so they have the exact shape `npm run grade -- --learner <name>` writes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../../src/progress.js';
import { catalog, checkDocsLink, getLab } from '../../src/catalog.js';
import type { CheckResult, LabResult, Status } from '../../src/checks.js';
import { L, type Lang } from '../../src/i18n.js';
import { buildGradeReport, writeReports } from '../../src/report/grade-report.js';

/** Per lab: one status for every check, or a status per check id (a check left out is not in the file). */
export type Plan = Record<string, Status | Record<string, Status | undefined>>;

export interface Failure {
  expected?: string;
  observed?: string;
}

export function labResult(labId: string, plan: Plan[string], failures: Record<string, Failure> = {}): LabResult {
  const lab = getLab(labId);
  const checks: CheckResult[] = [];
  for (const spec of lab.checks) {
    const status = typeof plan === 'string' ? plan : plan[spec.id];
    if (!status) continue;
    const base = { lab: lab.id, id: spec.id, title: spec.title, docs: { ko: checkDocsLink(lab, spec, 'ko'), en: checkDocsLink(lab, spec, 'en') } };
    if (status === 'pass') checks.push({ ...base, status, observed: 'as expected' });
    else if (status === 'skip') checks.push({ ...base, status, reason: L('스냅샷에 측정값이 없습니다', 'no measurement in this snapshot') });
    else {
      const f = failures[`${lab.id}/${spec.id}`] ?? {};
      checks.push({ ...base, status, expected: f.expected ?? `${spec.id} done`, observed: f.observed ?? `${spec.id} not done`, hint: spec.hint });
    }
  }
  return { lab: lab.id, title: lab.title, checks };
}

export interface HandInSpec {
  learner?: string;
  plan: Plan;
  gradedAt: Date;
  lang?: Lang;
  failures?: Record<string, Failure>;
  /** File name (default <learner>.grade.json). */
  file?: string;
  /** Leave the learner field out (the file name says who). */
  anonymous?: boolean;
  /** The learner's progress record the hand-in carries (when labs started, first passes, hints). */
  progress?: Progress;
}

export function writeHandIn(dir: string, spec: HandInSpec): string {
  const labs = catalog().labs.map((l) => l.id).filter((id) => id in spec.plan).map((id) => labResult(id, spec.plan[id], spec.failures));
  const report = buildGradeReport(labs, { context: 'kind-cicd-lab', mode: 'live', lang: spec.lang ?? 'en', learner: spec.anonymous ? undefined : spec.learner, gradedAt: spec.gradedAt, progress: spec.progress });
  const file = join(dir, spec.file ?? `${spec.learner}.grade.json`);
  mkdirSync(join(file, '..'), { recursive: true });
  writeReports(report, { json: file });
  return file;
}

/** A small deterministic pseudo-random generator (mulberry32), so the big class is the same every run. */
export function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export const minutes = (n: number) => n * 60_000;

/**
 * A big class: each learner has finished some labs, is midway through the next, and (mostly) has
 * graded the rest as failing, as `npm test` with no lab named does. Deterministic (seeded).
 */
export function writeBigClass(dir: string, learners: number): void {
  const rnd = random(7);
  const ids = catalog().labs.map((l) => l.id);
  const now = Date.now();
  for (let i = 0; i < learners; i++) {
    const done = Math.floor(rnd() * (ids.length + 1));
    const gradesAll = rnd() < 0.7;
    const plan: Plan = {};
    ids.forEach((id, k) => {
      if (k < done) plan[id] = 'pass';
      else if (k === done) plan[id] = Object.fromEntries(getLab(id).checks.map((c) => [c.id, rnd() < 0.5 ? 'pass' : rnd() < 0.8 ? 'fail' : 'skip']));
      else if (gradesAll) plan[id] = 'fail';
    });
    writeHandIn(dir, { learner: `learner-${String(i).padStart(3, '0')}`, plan, gradedAt: new Date(now - minutes(Math.floor(rnd() * 120))), lang: rnd() < 0.5 ? 'ko' : 'en' });
  }
}
