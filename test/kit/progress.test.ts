/**
 * The learner's progress record (.lab/progress.json, src/progress.ts) and what the hand-in carries
 * from it: `lab start` records when a lab was started, a live grading records when each check first
 * passed, a snapshot's grading records nothing, and `npm run grade -- --learner` writes per lab the
 * start and per check the first pass and the hints shown — which old hand-ins without those fields
 * still read.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s1-recreate.test.js';
import { recordingRunner } from '../../scripts/lib/exec.js';
import { lifecycle } from '../../scripts/lab.js';
import { main as grade } from '../../scripts/grade.js';
import { gradeAll } from '../../src/engine.js';
import { emptyProgress, readProgress, writeProgress } from '../../src/progress.js';
import { printAndWriteGrades } from '../../src/report/grade-output.js';
import { GradeReport } from '../../src/report/grade-report.js';
import { classify } from '../../src/report/hand-ins.js';
import { saveSnapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { captureLog } from '../lib/capture.js';
import { cleanEnv } from '../lib/cli.js';
import { startFakeApiServer, writeKubeconfig, type FakeApiServer } from '../lib/fake-apiserver.js';
import { snapshotOf, solved, started } from '../lib/lab-states.js';
import { tempDir } from '../lib/temp.js';

let api: FakeApiServer;
let kubeconfig: string;
let starter: string;
beforeAll(async () => {
  api = await startFakeApiServer([]);
  kubeconfig = writeKubeconfig(api.url, ['kind-cicd-lab']);
  starter = join(tempDir('progress-snapshots'), 'starter.json');
  saveSnapshot(starter, snapshotOf(await started('s1-recreate'), [grader]));
});
afterAll(() => api.close());

const quietly = async <T>(f: () => Promise<T>): Promise<T> => {
  const log = captureLog();
  try {
    return await f();
  } finally {
    log.stop();
  }
};

describe('when a lab was started', () => {
  it('lab start records it, a second start keeps the first, reset starts the clock again, a dry run records nothing', async () => {
    const file = join(tempDir('progress'), 'progress.json');
    const env = { ...cleanEnv({ KUBECONFIG: kubeconfig }), LAB_PROGRESS_FILE: file };
    await quietly(() => lifecycle('start', ['s1-recreate', '--dry-run'], env, recordingRunner()));
    expect(existsSync(file)).toBe(false);

    await quietly(() => lifecycle('start', ['s1-recreate'], env, recordingRunner()));
    const first = readProgress(file).labs['s1-recreate'];
    expect(first.startedBy).toBe('lab-start');
    expect(new Date(first.startedAt!).toISOString()).toBe(first.startedAt);

    // An earlier time, so that "kept" and "started again" differ whatever the clock's resolution.
    const p = readProgress(file);
    p.labs['s1-recreate'].startedAt = '2026-12-01T09:00:00.000Z';
    writeProgress(p, file);
    await quietly(() => lifecycle('start', ['s1-recreate'], env, recordingRunner()));
    expect(readProgress(file).labs['s1-recreate'].startedAt).toBe('2026-12-01T09:00:00.000Z');
    await quietly(() => lifecycle('reset', ['s1-recreate'], env, recordingRunner()));
    expect(readProgress(file).labs['s1-recreate'].startedAt).not.toBe('2026-12-01T09:00:00.000Z');
  });
});

describe('grading and the progress record', () => {
  it('a live grading records first passes (kept afterwards), resets the hint level of a passing check, and a lab never started as first graded', async () => {
    const file = join(tempDir('progress'), 'progress.json');
    const p = emptyProgress();
    p.labs['s1-recreate'] = { checks: { strategy: { hintLevel: 2, hintsShown: 2 }, updated: { hintLevel: 1, hintsShown: 1 } } };
    writeProgress(p, file);
    const solvedResults = gradeAll([grader], new LabState(snapshotOf(await solved('s1-recreate'), [grader]), 'live'));
    const env = { LAB_PROGRESS_FILE: file, LAB_REPORTS_DIR: tempDir('progress-reports') };
    await quietly(async () => printAndWriteGrades(solvedResults, { lang: 'en', mode: 'live', env }));
    const after = readProgress(file).labs['s1-recreate'];
    expect(after.startedBy).toBe('first-graded');
    expect(after.checks.strategy).toMatchObject({ hintLevel: 0, hintsShown: 2 });
    expect(after.checks.updated.firstPassedAt).toBeDefined();
    const firstPass = after.checks.updated.firstPassedAt;

    await quietly(async () => printAndWriteGrades(solvedResults, { lang: 'en', mode: 'live', env }));
    expect(readProgress(file).labs['s1-recreate'].checks.updated.firstPassedAt).toBe(firstPass);
  });

  it('grading a snapshot records nothing', async () => {
    const file = join(tempDir('progress'), 'progress.json');
    const out = tempDir('progress-reports');
    await quietly(() => grade(['s1-recreate', '--snapshot', starter], { ...cleanEnv({ LAB_REPORTS_DIR: out }), LAB_PROGRESS_FILE: file }));
    expect(existsSync(file)).toBe(false);
  });
});

describe('the hand-in', () => {
  it('carries, per lab, when it was started and, per check, when it first passed and how many hints were shown', async () => {
    const dir = tempDir('progress');
    const file = join(dir, 'progress.json');
    const p = emptyProgress();
    p.labs['s1-recreate'] = {
      startedAt: '2026-12-01T09:00:00.000Z',
      startedBy: 'lab-start',
      checks: { strategy: { hintLevel: 0, hintsShown: 3, firstPassedAt: '2026-12-01T09:20:00.000Z' }, updated: { hintLevel: 2, hintsShown: 2 } },
    };
    writeProgress(p, file);
    const out = join(dir, 'reports');
    await quietly(() => grade(['s1-recreate', '--snapshot', starter, '--learner', 'kim-minji'], { ...cleanEnv({ LAB_REPORTS_DIR: out }), LAB_PROGRESS_FILE: file }));
    const handIn = GradeReport.parse(JSON.parse(readFileSync(join(out, 'kim-minji.grade.json'), 'utf8')));
    const lab = handIn.labs[0];
    expect(lab.startedAt).toBe('2026-12-01T09:00:00.000Z');
    expect(lab.checks.map((c) => [c.id, c.status, c.firstPassedAt, c.hints])).toEqual([
      // The starter fails strategy now, though it passed once: the first pass is history, the status is now.
      ['strategy', 'fail', '2026-12-01T09:20:00.000Z', 3],
      ['updated', 'fail', undefined, 2],
    ]);
    const c = classify(join(out, 'kim-minji.grade.json'));
    expect('report' in c && c.report.labs[0].checks[0].hints).toBe(3);
  });

  it('an old hand-in without the progress fields still reads', () => {
    const dir = tempDir('progress');
    const old = {
      kind: 'CicdLabGrade', version: 1, context: 'kind-cicd-lab', gradedAt: '2026-11-30T10:00:00Z',
      labs: [{ id: 's1-recreate', checks: [{ id: 'strategy', status: 'pass', message: 'ok' }, { id: 'updated', status: 'fail', message: 'v1' }] }],
    };
    writeFileSync(join(dir, 'lee.grade.json'), JSON.stringify(old));
    const c = classify(join(dir, 'lee.grade.json'));
    expect('report' in c && c.learner).toBe('lee');
    expect('report' in c && c.report.labs[0].startedAt).toBeUndefined();
  });
});
