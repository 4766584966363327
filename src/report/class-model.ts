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

export interface ClassLab {
  lab: Lab;
  checks: CheckSpec[];
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
  skipped: Skipped[];
  notes: Note[];
}
