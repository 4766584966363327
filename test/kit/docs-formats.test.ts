/**
 * The formats the docs show (reference/formats.md) are the kit's own: the example snapshot loads
 * and grades, and the example reports are exactly what the kit writes for it. The docs include
 * these files (`<<< @/../test/kit/fixtures/formats/…`), so a change of format that the examples
 * do not follow fails here instead of drifting on the page.
 *
 * After a deliberate change of the report format: UPDATE_FORMAT_EXAMPLES=1 npx vitest run
 * --config vitest.kit.config.ts test/kit/docs-formats.test.ts, then read the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s3-bluegreen.test.js';
import type { LabResult } from '../../src/checks.js';
import { LANGS } from '../../src/i18n.js';
import { ROOT } from '../../src/paths.js';
import { buildGradeReport, junitXml } from '../../src/report/grade-report.js';
import { loadSnapshot, SNAPSHOT_KIND, type Snapshot } from '../../src/snapshot.js';
import { grade, statuses } from '../lib/lab-states.js';

const DIR = join(ROOT, 'test', 'kit', 'fixtures', 'formats');
const SNAPSHOT = join(DIR, 'snapshot.yaml');
const update = process.env.UPDATE_FORMAT_EXAMPLES === '1';

/** The example file must equal what the kit produces now (or is rewritten with UPDATE_FORMAT_EXAMPLES=1). */
function expectExample(name: string, produced: string) {
  const file = join(DIR, name);
  if (update) writeFileSync(file, produced);
  expect(readFileSync(file, 'utf8'), `${name} differs from what the kit writes (see the header of this test)`).toBe(produced);
}

describe('the formats shown in the docs', () => {
  let snapshot: Snapshot;
  let result: LabResult;

  beforeAll(() => {
    // Hints link to the docs file, not a site, in the examples.
    delete process.env.LAB_DOCS_URL;
    snapshot = loadSnapshot(SNAPSHOT);
    result = grade(grader, snapshot);
  });

  it('the example snapshot is a CicdLabSnapshot v1 with every section of the format', () => {
    expect(snapshot.kind).toBe(SNAPSHOT_KIND);
    expect(snapshot.version).toBe(1);
    for (const section of ['capturedAt', 'context', 'kubernetes', 'jenkins', 'registry', 'git', 'probes']) expect(snapshot, section).toHaveProperty(section);
    expect(Object.keys(snapshot.jenkins!.jobs!['hello-pipeline'])).toEqual(['job', 'lastCompletedBuild', 'lastSuccessfulBuild', 'config', 'stages']);
  });

  it('grades as the page says: green is ready and blue kept, but the warm-up is too short and the switch not made', () => {
    expect(statuses(result)).toEqual({ 'green-ready': 'pass', warmup: 'fail', switched: 'fail', 'rollback-ready': 'pass', traffic: 'fail' });
  });

  it.each(LANGS)('the example reports/<learner>.grade.json and junit.xml (%s) are what the kit writes for it', (lang) => {
    const report = buildGradeReport([result], { context: snapshot.context, mode: 'snapshot', lang, learner: 'kim-minji', gradedAt: new Date('2026-11-26T12:05:00Z') });
    expectExample(`grade.${lang}.json`, `${JSON.stringify(report, null, 2)}\n`);
    expectExample(`junit.${lang}.xml`, junitXml(report));
  });
});
