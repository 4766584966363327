/**
 * reports/grade.json (DESIGN §5) and reports/junit.xml, from check results.
 *
 *   { "kind": "CicdLabGrade", "version": 1, "context": …, "gradedAt": …,
 *     "labs": [ { "id": …, "checks": [ { "id": …, "status": "pass|fail|skip", "message": … } ] } ] }
 *
 * Each check also carries its title, and for failures expected, observed, hint and docs, all in
 * the learner's language, so that an instructor's class report can show them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { resultMessage, type CheckResult, type LabResult, type Status } from '../checks.js';
import { t, type Lang } from '../i18n.js';

export const GRADE_KIND = 'CicdLabGrade';
export const GRADE_VERSION = 1;

export interface GradeCheck {
  id: string;
  status: Status;
  message: string;
  title: string;
  expected?: string;
  observed?: string;
  hint?: string;
  docs?: string;
}

export interface GradeReport {
  kind: typeof GRADE_KIND;
  version: typeof GRADE_VERSION;
  context: string | null;
  gradedAt: string;
  mode: 'live' | 'snapshot';
  lang: Lang;
  learner?: string;
  labs: { id: string; title: string; checks: GradeCheck[] }[];
  summary: Record<Status, number>;
}

export function buildGradeReport(
  labs: LabResult[],
  info: { context?: string; mode: 'live' | 'snapshot'; lang: Lang; learner?: string; gradedAt?: Date },
): GradeReport {
  const lang = info.lang;
  const summary: Record<Status, number> = { pass: 0, fail: 0, skip: 0 };
  const check = (r: CheckResult): GradeCheck => {
    summary[r.status]++;
    const out: GradeCheck = { id: r.id, status: r.status, message: resultMessage(r, lang), title: t(r.title, lang) };
    if (r.status === 'fail') {
      out.expected = t(r.expected, lang);
      out.observed = t(r.observed, lang);
      out.hint = t(r.hint, lang);
      out.docs = t(r.docs, lang);
    }
    return out;
  };
  return {
    kind: GRADE_KIND,
    version: GRADE_VERSION,
    context: info.context ?? null,
    gradedAt: (info.gradedAt ?? new Date()).toISOString(),
    mode: info.mode,
    lang,
    ...(info.learner ? { learner: info.learner } : {}),
    labs: labs.map((l) => ({ id: l.lab, title: t(l.title, lang), checks: l.checks.map(check) })),
    summary,
  };
}

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // characters XML 1.0 cannot carry
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite per lab, one testcase per check named `[id] title`. */
export function junitXml(report: GradeReport): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.summary.pass + report.summary.fail + report.summary.skip;
  lines.push(`<testsuites name="cicd-lab" tests="${total}" failures="${report.summary.fail}" skipped="${report.summary.skip}" timestamp="${report.gradedAt}">`);
  for (const lab of report.labs) {
    const failures = lab.checks.filter((c) => c.status === 'fail').length;
    const skipped = lab.checks.filter((c) => c.status === 'skip').length;
    lines.push(`  <testsuite name="${xml(lab.id)}" tests="${lab.checks.length}" failures="${failures}" skipped="${skipped}">`);
    for (const c of lab.checks) {
      const open = `    <testcase classname="${xml(lab.id)}" name="${xml(`[${c.id}] ${c.title}`)}"`;
      if (c.status === 'pass') lines.push(`${open}/>`);
      else if (c.status === 'skip') lines.push(`${open}>`, `      <skipped message="${xml(c.message)}"/>`, '    </testcase>');
      else {
        lines.push(`${open}>`, `      <failure message="${xml(`${c.expected} ≠ ${c.observed}`)}">${xml(c.message)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

export function writeReports(report: GradeReport, paths: { json: string; junit?: string }): void {
  mkdirSync(dirname(paths.json), { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  if (paths.junit) writeFileSync(paths.junit, junitXml(report));
}
