/**
 * The class report as data: what src/report/class-report.ts builds from the hand-ins, and what the
 * HTML page (class-html.ts) and the CSV (class-report.ts) are written from.
 */
import type { CheckSpec, Lab } from '../catalog.js';
import type { Status } from '../checks.js';
import type { Lang, Localized } from '../i18n.js';
import type { GradeCheck } from './grade-report.js';
import type { HandIn, Skipped } from './hand-ins.js';

export type CellStatus = Status | 'none';

export interface Cell {
  status: CellStatus;
  /** What the learner's file says about the check, when it mentions it. */
  check?: GradeCheck;
}

/** A learner who has started a lab and not passed it yet (src/report/class-report.ts says who comes first). */
export interface StuckLearner {
  name: string;
  /** When the learner started the lab (`lab start`, else first graded), when the hand-in says. */
  startedAt?: Date;
  /** Hints shown for the lab's checks, all levels together. */
  hints: number;
  /** The lab's checks passed, of all its checks. */
  passed: number;
  /** The lab's checks that fail or were not graded, in catalog order. */
  open: string[];
}

export interface ClassLab {
  lab: Lab;
  checks: CheckSpec[];
  /** Learners who started this lab and have not passed it, most stuck first. */
  stuck: StuckLearner[];
  /** Learners whose every check of this lab passed or was skipped (at least one passed). */
  complete: number;
  /** Learners with at least one graded check of this lab. */
  started: number;
  /** Passed check cells of this lab, of learners × checks. */
  passed: number;
}

export interface ClassLearner {
  name: string;
  file: string;
  source: HandIn['source'];
  mode: 'live' | 'snapshot';
  gradedAt: Date;
  /** One per check of `labs`, in the same order. */
  cells: Cell[];
  counts: Record<CellStatus, number>;
  labsComplete: number;
  /** When the learner started each lab, by lab id, as the hand-in says (ISO 8601). */
  labStarted: Record<string, string>;
}

export interface FailingCheck {
  lab: Lab;
  check: CheckSpec;
  /** Learners for whom it fails, sorted by name. */
  learners: string[];
}

export interface Note {
  file: string;
  text: Localized;
}

export interface ClassReport {
  generatedAt: Date;
  lang: Lang;
  title?: string;
  labs: ClassLab[];
  learners: ClassLearner[];
  failing: FailingCheck[];
  /** The check that fails for the most learners (the first of `failing`): where to stop and explain. */
  hotspot?: FailingCheck;
  skipped: Skipped[];
  notes: Note[];
}
