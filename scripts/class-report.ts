#!/usr/bin/env -S npx tsx
/**
 * npm run class-report -- <file|folder>… [--out <dir>] [--labs <id,…>] [--top <n>]
 *                         [--sort name|progress|graded] [--title <text>] [--refresh <seconds>]
 *
 * The instructor's view of the room: reads the learners' hand-ins and writes
 *   reports/class.html  one self-contained page (opens from disk, no network): a matrix of
 *                       learners × labs × checks (✓ pass, ✗ fail, – skipped, · not graded),
 *                       completion per lab, the checks most often failing with their hints, and
 *                       when each learner was last graded; sortable by learner, progress, last
 *                       graded or one lab's progress.
 *   reports/class.csv   one row per learner × check (UTF-8 with BOM, RFC 4180), columns:
 *                       learner, lab, check, status (pass|fail|skip|not-graded), title, expected,
 *                       observed, detail, graded_at, mode, file.
 *
 * Handing in (learners): `npm run grade -- --learner <name>` writes reports/<name>.grade.json;
 * add `--save <name>.snapshot.yaml` to also save the collected state. The instructor collects
 * these files in a folder (a shared drive, a USB stick, e-mail) and points this command at it.
 *   - grade files: the learner is the file's `learner` field, else <name> of <name>.grade.json.
 *   - snapshots: graded here, on every lab that has a grader (labs still being built, in
 *     labs/pending.yaml, are left out). The learner is the snapshot's `learner` field (written by
 *     `--save` next to `--learner`), else the file name without .snapshot and the extension
 *     (kim-minji.snapshot.yaml → kim-minji). Graded as of its capturedAt.
 *   - folders are searched recursively for *.json, *.yaml, *.yml; files named here are read
 *     whatever their extension. Unreadable and foreign files are left out and listed with the
 *     reason; of two files for one learner (names compared without case) the newest is kept.
 *   - a grade file or snapshot of a version this kit does not know stops the report with an
 *     error that names the file (exit 2): update the kit, or have the learner grade again.
 *
 * Options:
 *   --out <dir>         where class.html and class.csv go (default reports/, or LAB_REPORTS_DIR)
 *   --labs <id,…>       only these labs as columns (default: every lab someone was graded on)
 *   --top <n>           how many of the most often failing checks to list (default 10)
 *   --sort <order>      the matrix's first order: name (default), progress or graded
 *   --title <text>      a title for the page, e.g. the workshop's name and date
 *   --refresh <s>       the page reloads itself every s seconds — for a projector, while the
 *                       report is re-run, e.g. `watch -n 30 npm run class-report -- handins/`
 *
 * Environment:
 *   LAB_LANG        ko | en (else from LANG): the language of titles, hints and the page
 *   LAB_REPORTS_DIR default output folder (reports/)
 *   LAB_DOCS_URL    docs site the hints link to (else the docs file in the repository)
 *   TZ              time zone of the absolute times shown
 *
 * Exit: 0 report written (files left out are listed) · 2 bad input: no hand-in found, unknown
 * version, bad option · 70 a kit bug.
 */
import { getLab } from '../src/catalog.js';
import { LabError, runMain } from '../src/errors.js';
import { detectLang, L, t } from '../src/i18n.js';
import { REPORTS_DIR } from '../src/paths.js';
import { buildClassReport, writeClassReport } from '../src/report/class-report.js';
import { displayPath, readHandIns, skippedLines } from '../src/report/hand-ins.js';
import { printHelp, wantsHelp } from './lib/help.js';
import { parseOptions, usageError } from './lib/options.js';

const USAGE = L(
  '사용법: npm run class-report -- <파일|폴더>… [--out <폴더>] [--labs <id,…>] [--top <n>] [--sort name|progress|graded] [--title <제목>] [--refresh <초>]',
  'usage: npm run class-report -- <file|folder>… [--out <dir>] [--labs <id,…>] [--top <n>] [--sort name|progress|graded] [--title <text>] [--refresh <seconds>]',
);

const SORTS = ['name', 'progress', 'graded'] as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface ClassArgs {
  inputs: string[];
  out: string;
  labs?: string[];
  top: number;
  sort: (typeof SORTS)[number];
  title?: string;
  refresh: number;
}

/** Bad input: what is wrong, then the usage line. */
const invalid = (ko: string, en: string) => usageError(L(ko, en), USAGE);

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw invalid(`--${name} "${raw}"는 ${min} 이상의 정수여야 합니다.`, `--${name} "${raw}" must be a whole number, ${min} or more.`);
  return value;
}

export function parseClassArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ClassArgs {
  const { values, positionals } = parseOptions(
    argv,
    { out: { type: 'string' }, labs: { type: 'string' }, top: { type: 'string' }, sort: { type: 'string' }, title: { type: 'string' }, refresh: { type: 'string' } },
    USAGE,
  );
  if (!positionals.length) {
    throw invalid(
      '학습자들이 낸 채점 파일이나 스냅샷이 있는 폴더(또는 파일)를 지정하세요.',
      'Name the folder (or files) holding the grade files and snapshots the learners handed in.',
    );
  }
  const labs = values.labs?.split(',').map((s) => s.trim()).filter(Boolean).map((id) => getLab(id).id);
  if (values.sort !== undefined && !(SORTS as readonly string[]).includes(values.sort)) {
    throw invalid(`--sort "${values.sort}"는 ${SORTS.join(', ')} 중 하나여야 합니다.`, `--sort "${values.sort}" must be one of ${SORTS.join(', ')}.`);
  }
  return {
    inputs: positionals,
    out: values.out ?? env.LAB_REPORTS_DIR ?? REPORTS_DIR,
    labs: labs?.length ? labs : undefined,
    top: wholeNumber('top', values.top, 10, 1),
    sort: (values.sort as ClassArgs['sort'] | undefined) ?? 'name',
    title: values.title,
    refresh: wholeNumber('refresh', values.refresh, 0, 0),
  };
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  if (wantsHelp(argv)) return printHelp('class-report', env);
  const lang = detectLang(env);
  const args = parseClassArgs(argv, env);
  const started = performance.now();
  const { handIns, skipped, files } = await readHandIns(args.inputs, { lang, labs: args.labs });
  const left = skippedLines(skipped, lang).map((l) => `  ${l}`);
  if (!handIns.length) {
    throw new LabError(L(
      `${args.inputs.join(', ')}에서 학습자의 채점 파일이나 스냅샷을 찾지 못했습니다(살펴본 파일 ${files}개).${left.length ? `\n반영하지 않은 파일:\n${left.join('\n')}` : ''}\n학습자는 npm run grade -- --learner <이름>으로 reports/<이름>.grade.json을 만들어 냅니다.`,
      `No learner's grade file or snapshot found in ${args.inputs.join(', ')} (${files} files looked at).${left.length ? `\nLeft out:\n${left.join('\n')}` : ''}\nLearners hand in reports/<name>.grade.json, written by npm run grade -- --learner <name>.`,
    ));
  }
  const report = buildClassReport(handIns, skipped, { lang, labs: args.labs, top: args.top, title: args.title });
  const written = writeClassReport(report, args.out, { sort: args.sort, refreshSeconds: args.refresh });
  const ms = Math.round(performance.now() - started);

  const fromSnapshots = handIns.filter((h) => h.source === 'snapshot').length;
  console.log(t(L(
    `학습자 ${handIns.length}명(스냅샷으로 낸 ${fromSnapshots}명은 여기서 채점), 실습 ${report.labs.length}개: ${report.labs.map((l) => `${l.lab.id} ${l.complete}/${handIns.length} 완료`).join(', ')}`,
    `${plural(handIns.length, 'learner')} (${fromSnapshots} graded here from snapshots), ${plural(report.labs.length, 'lab')}: ${report.labs.map((l) => `${l.lab.id} ${l.complete}/${handIns.length} complete`).join(', ')}`,
  ), lang));
  if (report.failing.length) {
    const top = report.failing[0];
    console.log(t(L(
      `가장 많이 실패한 검사: ${top.lab.id}/${top.check.id} (${top.learners.length}명)`,
      `Most often failing: ${top.lab.id}/${top.check.id} (${plural(top.learners.length, 'learner')})`,
    ), lang));
  }
  if (left.length) console.log(`${t(L(`반영하지 않은 파일 ${skipped.length}개:`, `Left out ${plural(skipped.length, 'file')}:`), lang)}\n${left.join('\n')}`);
  for (const note of report.notes) console.log(`  ${displayPath(note.file)}: ${t(note.text, lang)}`);
  console.log(t(L(
    `반 보고서: ${displayPath(written.html)} (${Math.round(written.htmlBytes / 1024)} KB), ${displayPath(written.csv)} — ${ms} ms`,
    `Class report: ${displayPath(written.html)} (${Math.round(written.htmlBytes / 1024)} KB), ${displayPath(written.csv)} — ${ms} ms`,
  ), lang));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/class-report.ts')) {
  await runMain(() => main());
}
