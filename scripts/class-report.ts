#!/usr/bin/env -S npx tsx
/**
 * npm run class-report -- <file|folder>… [--out <dir>] [--labs <id,…>] [--top <n>]
 *                         [--sort name|progress|graded] [--title <text>] [--refresh <seconds>]
 * npm run class-report -- --watch <folder> [--port <n>] [--out <dir>] [--labs …] [--top …] [--sort …] [--title …]
 *
 * The instructor's view of the room: reads the learners' hand-ins and writes
 *   reports/class.html  one self-contained page (opens from disk, no network): the check most of
 *                       the room fails (where to stop and explain), who is stuck on each lab
 *                       (started, not passed: longest since started first, then most hints), a matrix of
 *                       learners × labs × checks (✓ pass, ✗ fail, – skipped, · not graded),
 *                       completion per lab, the checks most often failing with their hints, and
 *                       when each learner was last graded; sortable by learner, progress, last
 *                       graded or one lab's progress.
 *   reports/class.csv   one row per learner × check (UTF-8 with BOM, RFC 4180), columns:
 *                       learner, lab, check, status (pass|fail|skip|not-graded), title, expected,
 *                       observed, detail, graded_at, mode, file, started_at, first_passed_at, hints
 *                       (the last three from the learner's progress record, empty when absent).
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
 *   --watch <folder>    the live view for the projector: serves the page on this machine
 *                       (http://127.0.0.1:<port>/), looks at the folder every 2 s while it fills,
 *                       rebuilds class.html/class.csv on each new or changed hand-in, and every
 *                       open page updates itself (server-sent events; src/report/class-watch.ts).
 *                       Runs until Ctrl-C.
 *   --port <n>          the port --watch serves on (default 4180; 0 picks a free one)
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
import { statSync } from 'node:fs';
import { detectLang, L, t, type Lang } from '../src/i18n.js';
import { REPORTS_DIR } from '../src/paths.js';
import { buildClassReport, writeClassReport } from '../src/report/class-report.js';
import { watchClass } from '../src/report/class-watch.js';
import { displayPath, readHandIns, skippedLines } from '../src/report/hand-ins.js';
import { printHelp, wantsHelp } from './lib/help.js';
import { parseOptions, usageError } from './lib/options.js';

const USAGE = L(
  '사용법: npm run class-report -- <파일|폴더>… [--out <폴더>] [--labs <id,…>] [--top <n>] [--sort name|progress|graded] [--title <제목>] [--refresh <초>] · npm run class-report -- --watch <폴더> [--port <n>] […]',
  'usage: npm run class-report -- <file|folder>… [--out <dir>] [--labs <id,…>] [--top <n>] [--sort name|progress|graded] [--title <text>] [--refresh <seconds>] · npm run class-report -- --watch <folder> [--port <n>] […]',
);

const SORTS = ['name', 'progress', 'graded'] as const;

/** Where `--watch` serves the live page unless --port says otherwise. */
export const DEFAULT_PORT = 4180;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface ClassArgs {
  inputs: string[];
  /** --watch <folder>: serve the report live while the folder fills. */
  watch?: string;
  port: number;
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
    { out: { type: 'string' }, labs: { type: 'string' }, top: { type: 'string' }, sort: { type: 'string' }, title: { type: 'string' }, refresh: { type: 'string' }, watch: { type: 'string' }, port: { type: 'string' } },
    USAGE,
  );
  if (values.watch !== undefined && positionals.length) {
    throw invalid('--watch에는 폴더 하나만 주고, 다른 파일이나 폴더는 적지 마세요.', '--watch takes the one folder to watch: name no other files or folders.');
  }
  if (values.watch !== undefined && values.refresh !== undefined) {
    throw invalid('--watch 페이지는 새 제출물이 오면 스스로 바뀝니다. --refresh와 함께 쓰지 마세요.', '--watch pages update themselves when a hand-in arrives: do not add --refresh.');
  }
  if (values.port !== undefined && values.watch === undefined) throw invalid('--port는 --watch와 함께 씁니다.', '--port goes with --watch.');
  if (values.watch === undefined && !positionals.length) {
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
    inputs: values.watch !== undefined ? [values.watch] : positionals,
    watch: values.watch,
    port: wholeNumber('port', values.port, DEFAULT_PORT, 0),
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
  if (args.watch !== undefined) return watch(args, lang);
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

/** --watch: serve the live page until Ctrl-C. */
async function watch(args: ClassArgs, lang: Lang): Promise<number> {
  if (!statSync(args.watch!, { throwIfNoEntry: false })?.isDirectory()) {
    throw invalid(`--watch "${args.watch}"는 폴더가 아닙니다(없으면 먼저 만드세요: mkdir -p ${args.watch}).`, `--watch "${args.watch}" is not a folder (create it first: mkdir -p ${args.watch}).`);
  }
  const live = await watchClass({ folder: args.watch!, out: args.out, lang, port: args.port, labs: args.labs, top: args.top, title: args.title, sort: args.sort });
  console.log(t(L(
    `반 보고서를 실시간으로 보여 줍니다: ${live.url}  (프로젝터의 브라우저로 여세요. ${displayPath(args.watch!)}에 제출물이 들어오면 페이지가 스스로 바뀝니다. 멈추려면 Ctrl-C)`,
    `Serving the class report live at ${live.url}  (open it in the projector's browser; the page updates itself as hand-ins arrive in ${displayPath(args.watch!)}. Ctrl-C stops.)`,
  ), lang));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await live.close();
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/class-report.ts')) {
  await runMain(() => main());
}
