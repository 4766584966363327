/**
 * The learner's progress on this machine, kept in .lab/progress.json (git-ignored, beside the
 * platform's generated logins): per lab, when it was started; per check, when it first passed,
 * the hint level reached (`npm run hint`) and how many hints were shown. The hand-in
 * (`npm run grade -- --learner <name>`) carries it to the instructor's class report.
 *
 * Who writes it:
 * - `npm run lab -- start <lab>` records the lab's start (the first one; a later start keeps it;
 *   `lab reset` starts the clock again);
 * - grading the live cluster (`npm test`, `npm run grade`) and `npm run hint` record each check's
 *   first pass, reset its hint level when it passes, and record a lab's start when it was first
 *   graded if `lab start` was never run here. Grading a saved snapshot records nothing: it may be
 *   anyone's state at any time.
 * - `npm run hint` raises a failing check's level (1 nudge → 2 pointer → 3 solution, then stays at
 *   3) and counts the hint shown.
 *
 * LAB_PROGRESS_FILE names another file (the kit's tests use a temporary one).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabResult } from './checks.js';
import { LabError } from './errors.js';
import { L } from './i18n.js';
import { ROOT, rel } from './paths.js';
import { validator, z, type Infer } from './schema.js';

export const PROGRESS_KIND = 'CicdLabProgress';
export const PROGRESS_VERSION = 1;
/** The highest hint level: the solution's region. Asking again shows it again. */
export const MAX_HINT_LEVEL = 3;

const instant = z.string().refine((s) => !Number.isNaN(new Date(s).getTime()), 'an ISO 8601 time');

export const CheckProgress = z.strictObject({
  /** The hint level last shown (0: none since the check last passed). */
  hintLevel: z.int().min(0).max(MAX_HINT_LEVEL).default(0),
  /** Every hint shown, all levels, since the lab was started here. */
  hintsShown: z.int().min(0).default(0),
  firstPassedAt: instant.optional(),
});
export type CheckProgress = Infer<typeof CheckProgress>;

export const LabProgress = z.strictObject({
  startedAt: instant.optional(),
  /** How startedAt was learned: `lab start`, or the first grading when it was never started here. */
  startedBy: z.enum(['lab-start', 'first-graded']).optional(),
  checks: z.record(z.string(), CheckProgress).default({}),
});
export type LabProgress = Infer<typeof LabProgress>;

export const Progress = z.strictObject({
  kind: z.literal(PROGRESS_KIND),
  version: z.literal(PROGRESS_VERSION),
  labs: z.record(z.string(), LabProgress).default({}),
});
export type Progress = Infer<typeof Progress>;

const checkProgress = validator(Progress);

export const progressPath = (env: NodeJS.ProcessEnv = process.env) => env.LAB_PROGRESS_FILE || join(ROOT, '.lab', 'progress.json');

export const emptyProgress = (): Progress => ({ kind: PROGRESS_KIND, version: PROGRESS_VERSION, labs: {} });

/** The progress file, or an empty progress when there is none yet. A damaged file is an error that names it. */
export function readProgress(file = progressPath()): Progress {
  if (!existsSync(file)) return emptyProgress();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LabError(L(
      `${rel(file)}을(를) 읽을 수 없습니다(${(error as Error).message}). 지우면 진행 기록이 처음부터 다시 쌓입니다.`,
      `cannot read ${rel(file)} (${(error as Error).message}); delete it to start the progress record afresh.`,
    ));
  }
  return checkProgress(data, rel(file), L('진행 기록의 형식이 맞지 않습니다(지우면 처음부터 다시 쌓입니다)', 'the progress record does not have the expected shape (delete it to start afresh)'));
}

/** Written whole through a temporary file, so a reader never sees half of it. */
export function writeProgress(progress: Progress, file = progressPath()): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(tmp, file);
}

const labOf = (p: Progress, lab: string): LabProgress => (p.labs[lab] ??= { checks: {} });
const checkOf = (p: Progress, lab: string, check: string): CheckProgress => (labOf(p, lab).checks[check] ??= { hintLevel: 0, hintsShown: 0 });

/**
 * `lab start`: the lab's start, unless one was already recorded by `lab start` (starting again
 * keeps the first); `lab reset` (restart) starts the clock again.
 */
export function recordStart(p: Progress, lab: string, now: Date, restart = false): Progress {
  const l = labOf(p, lab);
  if (restart || l.startedBy !== 'lab-start') {
    l.startedAt = now.toISOString();
    l.startedBy = 'lab-start';
  }
  return p;
}

/** A grading's results: first passes, hint levels reset on pass, a lab's start when unknown. */
export function recordGrades(p: Progress, results: LabResult[], now: Date): Progress {
  for (const lab of results) {
    const l = labOf(p, lab.lab);
    if (!l.startedAt) {
      l.startedAt = now.toISOString();
      l.startedBy = 'first-graded';
    }
    for (const c of lab.checks) {
      if (c.status !== 'pass') continue;
      const cp = checkOf(p, lab.lab, c.id);
      cp.firstPassedAt ??= now.toISOString();
      cp.hintLevel = 0;
    }
  }
  return p;
}

/** The next hint level for a failing check (1, 2, 3, then 3 again), counted as shown. */
export function nextHint(p: Progress, lab: string, check: string): number {
  const cp = checkOf(p, lab, check);
  cp.hintLevel = Math.min(cp.hintLevel + 1, MAX_HINT_LEVEL);
  cp.hintsShown++;
  return cp.hintLevel;
}
