/**
 * The instructor's class report: the learners' hand-ins (src/report/hand-ins.ts) as one matrix of
 * learners × labs × checks, completion per lab, who is stuck on each lab (most stuck first), the
 * checks most often failing (the first of them highlighted: where to stop and explain), and when
 * each learner was last graded: built here into the model of src/report/class-model.ts, written as
 * reports/class.html (src/report/class-html.ts) and reports/class.csv (below).
 *
 * Labs and checks come in catalog order, with titles and hints from the catalog in the
 * instructor's language. The columns are the labs named with --labs, else every lab at least one
 * hand-in was graded on. A check a learner's file does not mention is "not graded" (`none`),
 * which is not a skip: a skip is a check that ran and could not be judged (a live-only probe
 * missing from a snapshot).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../catalog.js';
import { L, t, type Lang } from '../i18n.js';
import { renderClassHtml, type HtmlOptions } from './class-html.js';
import type { Cell, CellStatus, ClassLab, ClassLearner, ClassReport, FailingCheck, Note, StuckLearner } from './class-model.js';
import type { GradeCheck } from './grade-report.js';
import { displayPath, type HandIn, type Skipped } from './hand-ins.js';

export interface BuildOptions {
  lang: Lang;
  /** Only these labs as columns (catalog order kept). */
  labs?: string[];
  /** How many of the most often failing checks to list (default 10). */
  top?: number;
  title?: string;
  now?: Date;
}

export const byName = (lang: Lang) => new Intl.Collator(lang, { numeric: true, sensitivity: 'base' }).compare;

/** A lab is complete when none of its checks failed or went ungraded, and one at least passed. */
function isComplete(cells: Cell[]): boolean {
  return cells.some((c) => c.status === 'pass') && cells.every((c) => c.status === 'pass' || c.status === 'skip');
}

/**
 * Who is most stuck on a lab, first: among the learners who started it and have not passed it,
 * the one who started it longest ago (a learner whose hand-in does not say when comes after those
 * whose does), then the one who needed the most hints, then the one with the fewest checks
 * passed, then by name.
 */
export const mostStuckFirst = (compareNames: (a: string, b: string) => number) => (a: StuckLearner, b: StuckLearner): number =>
  (a.startedAt?.getTime() ?? Infinity) - (b.startedAt?.getTime() ?? Infinity) ||
  b.hints - a.hints ||
  a.passed - b.passed ||
  compareNames(a.name, b.name);

export function buildClassReport(handIns: HandIn[], skipped: Skipped[], options: BuildOptions): ClassReport {
  const { lang } = options;
  const all = catalog().labs;
  const notes: Note[] = [];
  const known = new Map(all.map((l) => [l.id, l]));
  for (const h of handIns) {
    for (const lab of h.report.labs) {
      const spec = known.get(lab.id);
      if (!spec) {
        notes.push({ file: h.file, text: L(`실습 ${lab.id}은(는) 이 키트의 카탈로그에 없어 뺐습니다`, `lab ${lab.id} is not in this kit's catalog; left out`) });
        continue;
      }
      for (const c of lab.checks) {
        if (!spec.checks.some((s) => s.id === c.id)) {
          notes.push({ file: h.file, text: L(`검사 ${lab.id}/${c.id}은(는) 이 키트의 카탈로그에 없어 뺐습니다`, `check ${lab.id}/${c.id} is not in this kit's catalog; left out`) });
        }
      }
    }
  }

  const graded = new Set(handIns.flatMap((h) => h.report.labs.map((l) => l.id)));
  const labs = all.filter((l) => (options.labs ? options.labs.includes(l.id) : graded.has(l.id)));
  const columns = labs.flatMap((lab) => lab.checks.map((check) => ({ lab, check })));

  const learners: ClassLearner[] = handIns.map((h) => {
    const found = new Map<string, GradeCheck>();
    for (const lab of h.report.labs) for (const c of lab.checks) found.set(`${lab.id}/${c.id}`, c);
    const cells = columns.map(({ lab, check }): Cell => {
      const c = found.get(`${lab.id}/${check.id}`);
      return c ? { status: c.status, check: c } : { status: 'none' };
    });
    const counts: Record<CellStatus, number> = { pass: 0, fail: 0, skip: 0, none: 0 };
    for (const c of cells) counts[c.status]++;
    let at = 0;
    let labsComplete = 0;
    for (const lab of labs) {
      if (isComplete(cells.slice(at, at + lab.checks.length))) labsComplete++;
      at += lab.checks.length;
    }
    const labStarted = Object.fromEntries(h.report.labs.filter((l) => l.startedAt).map((l) => [l.id, l.startedAt!]));
    return { name: h.learner, file: h.file, source: h.source, mode: h.report.mode ?? (h.source === 'snapshot' ? 'snapshot' : 'live'), gradedAt: h.gradedAt, cells, counts, labsComplete, labStarted };
  });
  const compare = byName(lang);
  learners.sort((a, b) => compare(a.name, b.name) || (a.name < b.name ? -1 : 1));

  const byLearner = new Map(handIns.map((h) => [h.learner, h]));
  let at = 0;
  const classLabs: ClassLab[] = labs.map((lab) => {
    const from = at;
    at += lab.checks.length;
    const slices = learners.map((l) => l.cells.slice(from, at));
    const stuck: StuckLearner[] = [];
    learners.forEach((learner, i) => {
      const cells = slices[i];
      const graded = byLearner.get(learner.name)?.report.labs.find((l) => l.id === lab.id);
      const startedAt = graded?.startedAt ? new Date(graded.startedAt) : undefined;
      if (isComplete(cells) || (!graded && !startedAt)) return;
      stuck.push({
        name: learner.name,
        startedAt: startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt : undefined,
        hints: graded?.checks.reduce((n, c) => n + (c.hints ?? 0), 0) ?? 0,
        passed: cells.filter((c) => c.status === 'pass').length,
        open: lab.checks.filter((_, k) => cells[k].status === 'fail' || cells[k].status === 'none').map((c) => c.id),
      });
    });
    stuck.sort(mostStuckFirst(compare));
    return {
      lab,
      checks: lab.checks,
      stuck,
      complete: slices.filter(isComplete).length,
      started: slices.filter((s) => s.some((c) => c.status !== 'none')).length,
      passed: slices.reduce((n, s) => n + s.filter((c) => c.status === 'pass').length, 0),
    };
  });

  const failing: FailingCheck[] = columns
    .map(({ lab, check }, i) => ({ lab, check, learners: learners.filter((l) => l.cells[i].status === 'fail').map((l) => l.name) }))
    .filter((f) => f.learners.length > 0)
    // most failing first; ties keep course order (a stable sort)
    .sort((a, b) => b.learners.length - a.learners.length)
    .slice(0, options.top ?? 10);

  return { generatedAt: options.now ?? new Date(), lang, title: options.title, labs: classLabs, learners, failing, hotspot: failing[0], skipped, notes };
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * The CSV columns, one row per learner × check of the report's labs (learners by name, checks in
 * catalog order). `status` is pass, fail, skip or not-graded; `title` is the check's title in the
 * instructor's language; `expected`/`observed` come from the learner's file for a failure and
 * `detail` carries the reason of a skip; `graded_at` is ISO 8601 (UTC); `mode` live or snapshot;
 * `file` the hand-in the row comes from; from the learner's progress record, when the hand-in
 * carries it (empty otherwise): `started_at` when the lab was started, `first_passed_at` when the
 * check first passed, `hints` how many hints were shown for it.
 */
export const CSV_COLUMNS = ['learner', 'lab', 'check', 'status', 'title', 'expected', 'observed', 'detail', 'graded_at', 'mode', 'file', 'started_at', 'first_passed_at', 'hints'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text from the learners' files that a spreadsheet would run as a formula (starting with = + - @,
 * a tab or a carriage return, and not a plain number) gets a leading apostrophe (OWASP's advice
 * against CSV injection).
 */
export function csvField(value: string, fromFile = false): string {
  let v = value;
  if (fromFile && /^[=+\-@\t\r]/.test(v) && !/^[+-]?\d+(\.\d+)?%?$/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** UTF-8 with a byte-order mark (Excel then reads Korean correctly), CRLF line ends (RFC 4180). */
export function renderClassCsv(report: ClassReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  const checks = report.labs.flatMap((l) => l.checks.map((check) => ({ lab: l.lab, check })));
  for (const learner of report.learners) {
    learner.cells.forEach((cell, i) => {
      const { lab, check } = checks[i];
      const c = cell.check;
      const row: [string, boolean][] = [
        [learner.name, true],
        [lab.id, false],
        [check.id, false],
        [cell.status === 'none' ? 'not-graded' : cell.status, false],
        [t(check.title, report.lang), false],
        [cell.status === 'fail' ? (c?.expected ?? '') : '', true],
        [cell.status === 'fail' ? (c?.observed ?? '') : '', true],
        [cell.status === 'skip' ? (c?.message ?? '') : '', true],
        [learner.gradedAt.toISOString(), false],
        [learner.mode, false],
        [displayPath(learner.file), true],
        [learner.labStarted[lab.id] ?? '', true],
        [c?.firstPassedAt ?? '', true],
        [c?.hints !== undefined ? String(c.hints) : '', false],
      ];
      lines.push(row.map(([v, fromFile]) => csvField(v, fromFile)).join(','));
    });
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------

export interface Written {
  html: string;
  csv: string;
  htmlBytes: number;
  csvBytes: number;
}

/** Write class.html and class.csv into outDir. */
export function writeClassReport(report: ClassReport, outDir: string, html: HtmlOptions = {}): Written {
  mkdirSync(outDir, { recursive: true });
  const paths = { html: join(outDir, 'class.html'), csv: join(outDir, 'class.csv') };
  const page = renderClassHtml(report, html);
  const csv = renderClassCsv(report);
  writeFileSync(paths.html, page);
  writeFileSync(paths.csv, csv);
  return { ...paths, htmlBytes: Buffer.byteLength(page), csvBytes: Buffer.byteLength(csv) };
}
