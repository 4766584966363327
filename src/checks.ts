/**
 * The check model (ARCHITECTURE.md#grading). A check's function looks at the state and returns an
 * outcome; the engine adds what the catalog knows (title, hint, docs link) to make a CheckResult,
 * the unit every reporter prints.
 */
import { L, t, type Lang, type Localized, type Text } from './i18n.js';

export type Status = 'pass' | 'fail' | 'skip';

export type Outcome =
  | { status: 'pass'; observed?: Text }
  | { status: 'fail'; expected: Text; observed: Text; hint?: Localized; evidence?: string[] }
  | { status: 'skip'; reason: Localized };

/** The check holds; `observed` says what was seen, for the record. */
export const pass = (observed?: Text): Outcome => ({ status: 'pass', observed });

/**
 * The check does not hold. `expected` and `observed` are values or short phrases; `hint`
 * replaces the catalog's hint when a failure needs a more specific one; `evidence` carries
 * events or conditions that explain the observation.
 */
export const fail = (expected: Text, observed: Text, more: { hint?: Localized; evidence?: string[] } = {}): Outcome => ({
  status: 'fail',
  expected,
  observed,
  ...more,
});

/** The check cannot be judged here (only with a reason, e.g. a live-only probe in a snapshot). */
export const skip = (reason: Localized): Outcome => ({ status: 'skip', reason });

/** A failure of the first check that fails, else a pass: for checks made of several conditions. */
export function firstFailure(...outcomes: (() => Outcome)[]): Outcome {
  const observed: Text[] = [];
  for (const next of outcomes) {
    const outcome = next();
    if (outcome.status !== 'pass') return outcome;
    if (outcome.observed !== undefined) observed.push(outcome.observed);
  }
  if (observed.length === 0) return pass();
  if (observed.every((o) => typeof o === 'string')) return pass(observed.join('; '));
  return pass(L(observed.map((o) => t(o, 'ko')).join('; '), observed.map((o) => t(o, 'en')).join('; ')));
}

export interface CheckResult {
  lab: string;
  id: string;
  title: Localized;
  status: Status;
  expected?: Text;
  observed?: Text;
  hint?: Localized;
  evidence?: string[];
  reason?: Localized;
  /** Where the concept is taught, per language. */
  docs: Localized;
}

export interface LabResult {
  lab: string;
  title: Localized;
  checks: CheckResult[];
}

const labels = {
  expected: L('기대', 'expected'),
  observed: L('관찰', 'observed'),
  hint: L('힌트', 'hint'),
  docs: L('문서', 'docs'),
  evidence: L('근거', 'evidence'),
  skipped: L('건너뜀', 'skipped'),
};

/** The message of a result in one language: the line grade.json and JUnit carry. */
export function resultMessage(r: CheckResult, lang: Lang): string {
  switch (r.status) {
    case 'pass':
      return r.observed !== undefined ? `${t(r.title, lang)} (${t(r.observed, lang)})` : t(r.title, lang);
    case 'skip':
      return `${t(labels.skipped, lang)}: ${t(r.reason, lang)}`;
    case 'fail':
      return resultDetails(r, lang).join('\n');
  }
}

/** The lines under a failed check: expected, observed, evidence, hint and docs link. */
export function resultDetails(r: CheckResult, lang: Lang): string[] {
  if (r.status !== 'fail') return r.status === 'skip' ? [`${t(labels.skipped, lang)}: ${t(r.reason, lang)}`] : [];
  const lines = [`${t(labels.expected, lang)}: ${t(r.expected, lang)}`, `${t(labels.observed, lang)}: ${t(r.observed, lang)}`];
  for (const e of r.evidence ?? []) lines.push(`${t(labels.evidence, lang)}: ${e}`);
  if (r.hint) lines.push(`${t(labels.hint, lang)}: ${t(r.hint, lang)}`);
  lines.push(`${t(labels.docs, lang)}: ${t(r.docs, lang)}`);
  return lines;
}
