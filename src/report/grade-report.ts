/**
 * reports/grade.json and reports/junit.xml, from check results.
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
import { LANGS, t, type Lang } from '../i18n.js';
import { doc, z, type Infer } from '../schema.js';

export const GRADE_KIND = 'CicdLabGrade';
export const GRADE_VERSION = 1;

const sentence = (ko: string, en: string) => doc(z.string(), ko, en);

export const GradeCheck = z.looseObject({
  id: sentence('검사 id', 'The check id'),
  status: doc(z.enum(['pass', 'fail', 'skip']), '결과', 'The result'),
  message: sentence('결과를 한 줄로(통과, 기대값과 관찰값, 건너뛴 이유)', 'The result in one line (passed; expected and observed; why skipped)'),
  title: sentence('검사 제목', 'The check title').optional(),
  expected: sentence('실패한 검사: 기대값', 'A failed check: what was expected').optional(),
  observed: sentence('실패한 검사: 관찰값', 'A failed check: what was observed').optional(),
  hint: sentence('실패한 검사: 힌트', 'A failed check: the hint').optional(),
  docs: sentence('실패한 검사: 그 검사를 가르치는 문서 파일의 위치(`LAB_DOCS_URL`을 주면 사이트 주소)', 'A failed check: the docs file that teaches it (an address on the site when `LAB_DOCS_URL` is set)').optional(),
});
export type GradeCheck = Infer<typeof GradeCheck>;

/**
 * reports/grade.json. The contract's fields are required; what the kit adds (mode, lang, learner,
 * titles, summary) is optional, so that a grade file with only the contract's fields still reads.
 */
export const GradeReport = z.looseObject({
  kind: doc(z.literal(GRADE_KIND), '언제나 `CicdLabGrade`', 'Always `CicdLabGrade`'),
  version: doc(z.literal(GRADE_VERSION), '형식의 버전. 이 키트가 모르는 버전은 반 보고서가 그 파일을 밝히며 거절합니다', 'The format version; the class report refuses one this kit does not know, naming the file'),
  context: doc(z.string().nullable(), '채점한 kube 컨텍스트(스냅샷 채점이면 스냅샷의 것)', "The kube context graded (a snapshot's own when grading one)").optional(),
  gradedAt: sentence('채점한 시각(ISO 8601)', 'When it was graded (ISO 8601)'),
  mode: doc(z.enum(['live', 'snapshot']), '살아 있는 클러스터를 채점했는지, 스냅샷을 채점했는지', 'Whether a live cluster or a snapshot was graded').optional(),
  lang: doc(z.enum(LANGS), '문장의 언어(`LAB_LANG=ko|en`, 없으면 `LANG`)', 'The language of the sentences (`LAB_LANG=ko|en`, else from `LANG`)').optional(),
  learner: sentence('학습자 이름(`--learner`)', 'The learner name (`--learner`)').optional(),
  labs: doc(
    z.array(z.looseObject({ id: sentence('실습 id', 'The lab id'), title: sentence('실습 제목', 'The lab title').optional(), checks: doc(z.array(GradeCheck), '검사마다의 결과', 'The result of each check') })),
    '채점한 실습',
    'The labs graded',
  ),
  summary: doc(z.looseObject({ pass: z.int().min(0), fail: z.int().min(0), skip: z.int().min(0) }), '결과별 검사 수', 'How many checks had each result').optional(),
});
export type GradeReport = Infer<typeof GradeReport>;

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
  const checks = report.labs.flatMap((lab) => lab.checks);
  const count = (status: Status) => checks.filter((c) => c.status === status).length;
  lines.push(`<testsuites name="cicd-lab" tests="${checks.length}" failures="${count('fail')}" skipped="${count('skip')}" timestamp="${report.gradedAt}">`);
  for (const lab of report.labs) {
    const failures = lab.checks.filter((c) => c.status === 'fail').length;
    const skipped = lab.checks.filter((c) => c.status === 'skip').length;
    lines.push(`  <testsuite name="${xml(lab.id)}" tests="${lab.checks.length}" failures="${failures}" skipped="${skipped}">`);
    for (const c of lab.checks) {
      const open = `    <testcase classname="${xml(lab.id)}" name="${xml(`[${c.id}]${c.title ? ` ${c.title}` : ''}`)}"`;
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
