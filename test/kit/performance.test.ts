import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeAll, type Grader } from '../../src/engine.js';
import { loadSnapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { allLabsSnapshot } from '../lib/all-labs.js';
import { unmeasurableProbes } from '../lib/lab-states.js';
import { cleanEnv, npmRun } from '../lib/cli.js';
import { writeBigClass } from '../lib/synthetic-class.js';
import { buildClassReport, writeClassReport } from '../../src/report/class-report.js';
import { readHandIns } from '../../src/report/hand-ins.js';
import { tempDir } from '../lib/temp.js';

describe('grading speed (timed alone, after the other kit tests)', () => {
  let graders: Grader[];
  let file: string;
  beforeAll(async () => {
    // The state of test/kit/all-labs.test.ts: every lab solved on one platform (reused when built).
    ({ file, graders } = await allLabsSnapshot());
  }, 180_000);

  it('loads one snapshot and grades every lab in it in under 200 ms', () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const results = gradeAll(graders, new LabState(loadSnapshot(file), 'snapshot'));
      times.push(performance.now() - start);
      expect(results).toHaveLength(graders.length);
    }
    console.log(`graded ${graders.length} labs: first ${times[0].toFixed(1)} ms, best ${Math.min(...times).toFixed(1)} ms`);
    expect(times[0]).toBeLessThan(200);
  });

  it('grades that snapshot end to end with LAB_SNAPSHOT=<file> npm test in under 10 s (Vitest and all)', async () => {
    const out = tempDir('perf-reports');
    const r = await npmRun('test', [], cleanEnv({ LAB_SNAPSHOT: file, LAB_REPORTS_DIR: out }));
    console.log(`LAB_SNAPSHOT=… npm test, ${graders.length} labs: ${(r.ms / 1000).toFixed(1)} s`);
    const report = JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8'));
    expect(report.labs.map((l: { id: string }) => l.id)).toEqual(graders.map((g) => g.lab));
    expect(r.code === 0 || Object.keys(unmeasurableProbes(graders)).length > 0, r.stdout + r.stderr).toBe(true);
    expect(r.ms).toBeLessThan(10_000);
  }, 60_000);
});

describe('the class report, timed alone', () => {
  it('reads 200 learners\' grade files of every lab, builds and writes the report in under 2 s', async () => {
    const dir = tempDir('class-200');
    writeBigClass(join(dir, 'in'), 200);
    const start = performance.now();
    const handIns = await readHandIns([join(dir, 'in')], { lang: 'en' });
    const written = writeClassReport(buildClassReport(handIns.handIns, handIns.skipped, { lang: 'en' }), join(dir, 'out'));
    const ms = performance.now() - start;
    console.log(`class report of 200 learners: ${ms.toFixed(0)} ms; class.html ${(written.htmlBytes / 1024).toFixed(0)} KB, class.csv ${(written.csvBytes / 1024).toFixed(0)} KB`);
    expect(handIns.handIns).toHaveLength(200);
    expect(ms).toBeLessThan(2000);
  });
});
