/**
 * The learners' hand-ins for the class report: find the files, tell grade files from snapshots
 * from anything else, attribute each to a learner, grade snapshots on the fly, keep the newest
 * file per learner.
 *
 * What counts as a hand-in:
 * - a grade file (`kind: CicdLabGrade`, `version: 1`, written by `npm run grade -- --learner <name>`
 *   as reports/<name>.grade.json). Its learner is its `learner` field, else the `<name>` of a file
 *   named `<name>.grade.json`.
 * - a snapshot (`kind: CicdLabSnapshot`, `version: 1`, JSON or YAML; `npm run grade -- --learner
 *   <name> --save <file>` writes one). Its learner is its `learner` field (an extra field, which
 *   the format allows; `--save` next to `--learner` writes it), else the file name without
 *   `.snapshot` and the extension (`kim-minji.snapshot.yaml`, `kim-minji.json` → kim-minji). It is
 *   graded here with the engine, on every lab that has a grader (labs/pending.yaml are left out),
 *   and counts as graded when it was captured (`capturedAt`, else the file's modification time).
 *
 * Folders are searched recursively for *.json, *.yaml and *.yml (hidden folders and node_modules
 * left out); files named on the command line are read whatever their extension. Unreadable and
 * foreign files are skipped with the reason; a grade file or snapshot of a version this kit does
 * not know is an error that names the file (its results would be misread). Two files for one
 * learner (names compared without case): the newest is kept, the other is skipped with the reason.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { catalog } from '../catalog.js';
import { gradeAll, loadGraders } from '../engine.js';
import { LabError } from '../errors.js';
import { L, t, type Lang, type Localized } from '../i18n.js';
import { validator } from '../schema.js';
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, validateSnapshot, type Snapshot } from '../snapshot.js';
import { LabState } from '../state.js';
import { buildGradeReport, GRADE_KIND, GRADE_VERSION, GradeReport } from './grade-report.js';

/** A learner's name is also a file name (reports/<name>.grade.json): letters, digits, . _ - */
export const LEARNER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u;
export const isLearnerName = (name: unknown): name is string => typeof name === 'string' && LEARNER_NAME.test(name);

/** One learner's newest hand-in, as a grade report (snapshots graded on the fly). */
export interface HandIn {
  file: string;
  learner: string;
  source: 'grade' | 'snapshot';
  report: GradeReport;
  gradedAt: Date;
}

export interface Skipped {
  file: string;
  reason: Localized;
}

export interface HandIns {
  handIns: HandIn[];
  skipped: Skipped[];
  /** Files looked at (found in folders or named). */
  files: number;
}

export interface ReadOptions {
  /** The instructor's language: snapshots graded here get titles and messages in it. */
  lang: Lang;
  /** Restrict the labs snapshots are graded on (the report's columns). */
  labs?: string[];
}

const HAND_IN_FILE = /\.(json|ya?ml)$/i;
const SKIP_DIRS = new Set(['node_modules']);

/** A path as the instructor would type it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const abs = resolve(file);
  const r = relative(cwd, abs);
  return r && !r.startsWith('..') && !r.startsWith(sep) ? r.split(sep).join('/') : abs;
}

/** Every file to read: named files as they are, folders searched recursively for JSON and YAML. */
export function findHandInFiles(inputs: string[]): { files: string[]; skipped: Skipped[] } {
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    let key = resolve(file);
    try {
      key = realpathSync(file);
    } catch {
      // a dangling link: reading it says why
    }
    if (!seen.has(key)) (seen.add(key), files.push(file));
  };
  const visited = new Set<string>();
  const walk = (dir: string) => {
    let real = resolve(dir);
    try {
      real = realpathSync(dir);
    } catch {
      // reading it below says why
    }
    if (visited.has(real)) return; // a link back to a folder already searched
    visited.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      skipped.push({ file: dir, reason: cannotRead(error) });
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDir = statSync(path).isDirectory();
        } catch {
          isDir = false;
        }
      }
      if (isDir) {
        if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(path);
      } else if (HAND_IN_FILE.test(entry.name)) add(path);
    }
  };
  for (const input of inputs) {
    let stat;
    try {
      stat = statSync(input);
    } catch (error) {
      skipped.push({ file: input, reason: cannotRead(error) });
      continue;
    }
    if (stat.isDirectory()) walk(input);
    else add(input);
  }
  return { files, skipped };
}

function cannotRead(error: unknown): Localized {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  if (code === 'ENOENT') return L('파일이 없습니다(ENOENT)', 'does not exist (ENOENT)');
  return L(`읽을 수 없습니다(${code})`, `cannot be read (${code})`);
}

const checkGradeShape = validator(GradeReport);

/** What one file turned out to be, before newest-wins and grading. */
type Candidate =
  | { file: string; source: 'grade'; learner: string; report: GradeReport; gradedAt: Date; mtime: number }
  | { file: string; source: 'snapshot'; learner: string; snapshot: Snapshot; gradedAt: Date; mtime: number };

type Classified = Candidate | { skip: Localized } | { unknownVersion: Localized };

const noLearner = (how: Localized) =>
  L(`누구의 것인지 알 수 없습니다: ${how.ko}`, `no learner name: ${how.en}`);

function learnerFromName(file: string, pattern: RegExp): string | undefined {
  const m = basename(file).match(pattern);
  return m && isLearnerName(m[1]) ? m[1] : undefined;
}

/** Read one file and say what it is. Never throws for the file's content. */
export function classify(file: string): Classified {
  let bytes: Buffer;
  let mtime: number;
  try {
    bytes = readFileSync(file);
    mtime = statSync(file).mtimeMs;
  } catch (error) {
    return { skip: cannotRead(error) };
  }
  let body: string;
  try {
    body = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { skip: L('UTF-8 텍스트가 아닙니다', 'not UTF-8 text') };
  }
  if (!body.trim()) return { skip: L('빈 파일입니다', 'empty file') };
  let data: unknown;
  try {
    data = /^\s*[{[]/.test(body) ? JSON.parse(body) : parse(body);
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    return { skip: L(`JSON이나 YAML로 읽을 수 없습니다: ${first}`, `neither valid JSON nor YAML: ${first}`) };
  }
  const kind = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).kind : undefined;
  const version = kind !== undefined ? (data as Record<string, unknown>).version : undefined;
  const where = displayPath(file);

  if (kind === GRADE_KIND) {
    if (version !== undefined && version !== GRADE_VERSION) {
      return {
        unknownVersion: L(
          `${where}: 채점 보고서 버전 ${JSON.stringify(version)}은(는) 이 키트가 모르는 버전입니다(읽을 수 있는 버전: ${GRADE_VERSION}). 이 키트를 업데이트하거나, 학습자에게 이 키트 버전으로 다시 채점해 달라고 하세요.`,
          `${where}: grade report version ${JSON.stringify(version)} is one this kit does not know (it reads version ${GRADE_VERSION}). Update this kit, or ask the learner to grade again with this kit's version.`,
        ),
      };
    }
    let report: GradeReport;
    try {
      report = checkGradeShape(data, where, L('채점 보고서의 형식이 CicdLabGrade v1과 맞지 않습니다', 'not in the CicdLabGrade v1 shape'));
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      return { skip: shapeReason(error, where) };
    }
    const gradedAt = new Date(report.gradedAt);
    if (Number.isNaN(gradedAt.getTime())) return { skip: L(`gradedAt "${report.gradedAt}"이(가) 날짜가 아닙니다`, `gradedAt "${report.gradedAt}" is not a date`) };
    let learner: string | undefined;
    if (report.learner !== undefined) {
      if (!isLearnerName(report.learner)) return { skip: badName(report.learner) };
      learner = report.learner;
    } else learner = learnerFromName(file, /^(.+)\.grade\.json$/i);
    if (!learner) {
      return { skip: noLearner(L('learner 항목도 없고 파일 이름도 <이름>.grade.json이 아닙니다(npm run grade -- --learner <이름>으로 내게 하세요)', 'no learner field and the file is not named <name>.grade.json (hand in with npm run grade -- --learner <name>)')) };
    }
    return { file, source: 'grade', learner, report, gradedAt, mtime };
  }

  if (kind === SNAPSHOT_KIND) {
    if (version !== undefined && version !== SNAPSHOT_VERSION) {
      return {
        unknownVersion: L(
          `${where}: 스냅샷 버전 ${JSON.stringify(version)}은(는) 이 키트가 모르는 버전입니다(읽을 수 있는 버전: ${SNAPSHOT_VERSION}). 이 키트를 업데이트하거나, 학습자에게 이 키트 버전으로 다시 저장해 달라고 하세요.`,
          `${where}: snapshot version ${JSON.stringify(version)} is one this kit does not know (it reads version ${SNAPSHOT_VERSION}). Update this kit, or ask the learner to save it again with this kit's version.`,
        ),
      };
    }
    let snapshot: Snapshot;
    try {
      snapshot = validateSnapshot(data, where);
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      return { skip: shapeReason(error, where) };
    }
    let learner: string | undefined;
    if (snapshot.learner !== undefined) {
      if (!isLearnerName(snapshot.learner)) return { skip: badName(snapshot.learner) };
      learner = snapshot.learner;
    } else learner = learnerFromName(file, /^(.+?)(?:\.snapshot)?\.[^.]+$/i);
    if (!learner) {
      return { skip: noLearner(L('learner 항목이 없고 파일 이름으로도 알 수 없습니다(파일 이름을 <이름>.snapshot.yaml로 하세요)', 'no learner field, and the file name does not give one (name it <name>.snapshot.yaml)')) };
    }
    const captured = snapshot.capturedAt ? new Date(snapshot.capturedAt) : undefined;
    const gradedAt = captured && !Number.isNaN(captured.getTime()) ? captured : new Date(mtime);
    return { file, source: 'snapshot', learner, snapshot, gradedAt, mtime };
  }

  const what = kind === undefined ? L('kind 항목이 없습니다', 'it has no kind') : L(`kind가 ${JSON.stringify(kind)}입니다`, `its kind is ${JSON.stringify(kind)}`);
  return {
    skip: L(
      `cicd-lab 채점 보고서(${GRADE_KIND})나 스냅샷(${SNAPSHOT_KIND})이 아닙니다: ${what.ko}`,
      `not a cicd-lab grade file (${GRADE_KIND}) or snapshot (${SNAPSHOT_KIND}): ${what.en}`,
    ),
  };
}

/** The validator's message without the file name it starts with (the list shows the file). */
function shapeReason(error: LabError, where: string): Localized {
  const strip = (s: string) => s.replace(` (${where})`, '').replace(/\n\s*/, ': ').replace(/\n\s*/g, '; ');
  const text = error.text;
  return typeof text === 'string' ? L(strip(text), strip(text)) : L(strip(text.ko), strip(text.en));
}

function badName(name: unknown): Localized {
  const shown = JSON.stringify(name).slice(0, 80);
  return L(
    `학습자 이름 ${shown}을(를) 쓸 수 없습니다: 글자나 숫자로 시작하고 글자, 숫자, . _ -만 써야 합니다`,
    `learner name ${shown} cannot be used: it must start with a letter or digit and use only letters, digits, . _ -`,
  );
}

/** The key two files of one learner share: the name, Unicode-normalised, without case. */
export const learnerKey = (name: string) => name.normalize('NFC').toLocaleLowerCase('en');

/** Newest first: graded later; then a grade file over a snapshot; then the later-modified file; then the path. */
function newer(a: Candidate, b: Candidate): number {
  return (
    b.gradedAt.getTime() - a.gradedAt.getTime() ||
    (a.source === b.source ? 0 : a.source === 'grade' ? -1 : 1) ||
    b.mtime - a.mtime ||
    (a.file < b.file ? 1 : a.file > b.file ? -1 : 0)
  );
}

/** The labs a snapshot is graded on: every lab that has a grader, optionally only some. */
export function snapshotLabs(only?: string[]): string[] {
  const { labs, pending } = catalog();
  return labs.map((l) => l.id).filter((id) => !pending.includes(id) && (!only || only.includes(id)));
}

/**
 * Read every hand-in among the inputs (files and folders). Throws a LabError naming every file
 * whose version this kit does not know.
 */
export async function readHandIns(inputs: string[], options: ReadOptions): Promise<HandIns> {
  const found = findHandInFiles(inputs);
  const skipped: Skipped[] = [...found.skipped];
  const unknown: Localized[] = [];
  const byLearner = new Map<string, Candidate[]>();
  for (const file of found.files) {
    const c = classify(file);
    if ('skip' in c) skipped.push({ file, reason: c.skip });
    else if ('unknownVersion' in c) unknown.push(c.unknownVersion);
    else {
      const key = learnerKey(c.learner);
      byLearner.set(key, [...(byLearner.get(key) ?? []), c]);
    }
  }
  if (unknown.length) {
    throw new LabError(L(
      `알 수 없는 버전의 파일이 있어 반 보고서를 만들지 않았습니다:\n${unknown.map((u) => `  ${u.ko}`).join('\n')}`,
      `Not writing the class report: ${unknown.length === 1 ? 'a file has' : 'files have'} a version this kit does not know:\n${unknown.map((u) => `  ${u.en}`).join('\n')}`,
    ));
  }

  const winners: Candidate[] = [];
  for (const candidates of byLearner.values()) {
    const [newest, ...older] = candidates.sort(newer);
    winners.push(newest);
    const kept = displayPath(newest.file);
    for (const o of older) {
      const when = newest.gradedAt.toISOString();
      skipped.push({
        file: o.file,
        reason: o.gradedAt.getTime() === newest.gradedAt.getTime()
          ? L(`${kept}과(와) 같은 제출물입니다(${o.learner}, 같은 시각 ${when}에 채점)`, `the same hand-in as ${kept} (${o.learner}, graded at the same time)`)
          : L(`${o.learner}의 더 새 파일 ${kept}이(가) 있습니다(${when} 채점)`, `${o.learner} has a newer file, ${kept} (graded ${when})`),
      });
    }
  }

  let graders: Awaited<ReturnType<typeof loadGraders>> | undefined;
  const handIns: HandIn[] = [];
  for (const c of winners) {
    if (c.source === 'grade') {
      handIns.push({ file: c.file, learner: c.learner, source: 'grade', report: c.report, gradedAt: c.gradedAt });
      continue;
    }
    graders ??= await loadGraders(snapshotLabs(options.labs));
    const results = gradeAll(graders, new LabState(c.snapshot, 'snapshot'));
    const report = buildGradeReport(results, { context: c.snapshot.context, mode: 'snapshot', lang: options.lang, learner: c.learner, gradedAt: c.gradedAt });
    handIns.push({ file: c.file, learner: c.learner, source: 'snapshot', report, gradedAt: c.gradedAt });
  }
  return { handIns, skipped, files: found.files.length };
}

/** `path: reason` lines for the terminal. */
export function skippedLines(skipped: Skipped[], lang: Lang): string[] {
  return skipped.map((s) => `${displayPath(s.file)}: ${t(s.reason, lang)}`);
}
