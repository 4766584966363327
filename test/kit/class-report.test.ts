import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s3-bluegreen.test.js';
import { catalog, getLab } from '../../src/catalog.js';
import { LabError } from '../../src/errors.js';
import { t, type Lang } from '../../src/i18n.js';
import { REPORTS_DIR, ROOT } from '../../src/paths.js';
import { relativeTime } from '../../src/report/class-page/page.js';
import type { ClassReport } from '../../src/report/class-model.js';
import { buildClassReport, csvField, renderClassCsv, writeClassReport } from '../../src/report/class-report.js';
import { readHandIns, type HandIn, type HandIns } from '../../src/report/hand-ins.js';
import { loadSnapshot, saveSnapshot } from '../../src/snapshot.js';
import { chromiumMissing, launch } from '../lib/browser.js';
import { cleanEnv, tsx } from '../lib/cli.js';
import { minutes, writeBigClass, writeHandIn, type Plan } from '../lib/synthetic-class.js';
import { snapshotOf, solved, started } from '../lib/lab-states.js';
import { SimCluster } from '../lib/sim.js';

const root = mkdtempSync(join(tmpdir(), 'cicd-lab-class-'));
const title = (lab: string, check: string, lang: Lang = 'en') => t(getLab(lab).checks.find((c) => c.id === check)!.title, lang);
const read = (file: string) => readFileSync(file, 'utf8');

// ------------------------------------------------------------------------------------------------

describe('a small class of grade files', () => {
  const dir = join(root, 'small');
  const now = new Date('2026-11-26T10:00:00Z');
  let files: Record<string, string>;
  let handIns: HandIns;
  let report: ClassReport;

  beforeAll(async () => {
    files = {
      ana: writeHandIn(dir, { learner: 'ana', plan: { 's3-bluegreen': 'pass' }, gradedAt: new Date('2026-11-26T09:55:00Z') }),
      bo: writeHandIn(dir, {
        learner: 'bo',
        lang: 'ko',
        plan: { 's3-bluegreen': { 'green-ready': 'pass', warmup: 'fail', switched: 'fail', 'rollback-ready': 'pass', traffic: 'skip' } },
        failures: { 's3-bluegreen/warmup': { expected: 'minReadySeconds ≥ 10', observed: 'minReadySeconds 0' } },
        gradedAt: new Date('2026-11-26T09:40:00Z'),
      }),
      yujin: writeHandIn(dir, {
        learner: '최유진',
        plan: { 's4-canary': { backends: 'pass', weight: 'fail', traffic: 'fail' } },
        failures: {
          's4-canary/weight': { expected: '20', observed: '=1+1' },
          's4-canary/traffic': { expected: 'v2 share 20% ± 8', observed: 'weights "80, 20"\nbut 0% v2' },
        },
        gradedAt: new Date('2026-11-26T08:30:00Z'),
      }),
    };
    handIns = await readHandIns([dir], { lang: 'en' });
    report = buildClassReport(handIns.handIns, handIns.skipped, { lang: 'en', now });
  });

  it('reads every grade file in the folder, with the learner each one names', () => {
    expect(handIns.skipped).toEqual([]);
    expect(handIns.handIns.map((h) => [h.learner, h.source]).sort()).toEqual([['ana', 'grade'], ['bo', 'grade'], ['최유진', 'grade']]);
  });

  it('puts the labs someone was graded on in catalog order, each with all its checks', () => {
    expect(report.labs.map((l) => l.lab.id)).toEqual(['s3-bluegreen', 's4-canary']);
    expect(report.labs.map((l) => l.checks.map((c) => c.id))).toEqual([getLab('s3-bluegreen').checks.map((c) => c.id), getLab('s4-canary').checks.map((c) => c.id)]);
  });

  it('tells "not graded" (not in the learner\'s file) apart from a skip', () => {
    const cells = (name: string) => report.learners.find((l) => l.name === name)!.cells.map((c) => c.status);
    expect(cells('ana')).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'none', 'none', 'none', 'none']);
    expect(cells('bo')).toEqual(['pass', 'fail', 'fail', 'pass', 'skip', 'none', 'none', 'none', 'none']);
    expect(cells('최유진')).toEqual(['none', 'none', 'none', 'none', 'none', 'pass', 'fail', 'none', 'fail']);
  });

  it('counts completion per lab: every check passed or skipped, none failing or ungraded', () => {
    expect(report.labs.map((l) => [l.lab.id, l.complete, l.started, l.passed])).toEqual([
      ['s3-bluegreen', 1, 2, 7],
      ['s4-canary', 0, 1, 1],
    ]);
    expect(report.learners.map((l) => [l.name, l.labsComplete, l.counts])).toEqual([
      ['ana', 1, { pass: 5, fail: 0, skip: 0, none: 4 }],
      ['bo', 0, { pass: 2, fail: 2, skip: 1, none: 4 }],
      ['최유진', 0, { pass: 1, fail: 2, skip: 0, none: 6 }],
    ]);
  });

  it('lists the most often failing checks, most first, ties in course order, with who fails them', () => {
    expect(report.failing.map((f) => [`${f.lab.id}/${f.check.id}`, f.learners])).toEqual([
      ['s3-bluegreen/warmup', ['bo']],
      ['s3-bluegreen/switched', ['bo']],
      ['s4-canary/weight', ['최유진']],
      ['s4-canary/traffic', ['최유진']],
    ]);
    expect(buildClassReport(handIns.handIns, [], { lang: 'en', top: 2 }).failing).toHaveLength(2);
  });

  it('writes class.csv: BOM, CRLF, one row per learner × check, RFC 4180 quoting, formulas defused', () => {
    const csv = renderClassCsv(report);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const f = (file: string) => file; // absolute: the temp folder is outside the working directory
    const row = (learner: string, lab: string, check: string, status: string, rest: string, when: string, file: string) =>
      `${learner},${lab},${check},${status},${csvField(title(lab, check))},${rest},${when},live,${f(file)},,,`;
    const s3 = ['green-ready', 'warmup', 'switched', 'rollback-ready', 'traffic'];
    const s4 = ['backends', 'weight', 'header', 'traffic'];
    const expected = [
      'learner,lab,check,status,title,expected,observed,detail,graded_at,mode,file,started_at,first_passed_at,hints',
      ...s3.map((c) => row('ana', 's3-bluegreen', c, 'pass', ',,', '2026-11-26T09:55:00.000Z', files.ana)),
      ...s4.map((c) => row('ana', 's4-canary', c, 'not-graded', ',,', '2026-11-26T09:55:00.000Z', files.ana)),
      row('bo', 's3-bluegreen', 'green-ready', 'pass', ',,', '2026-11-26T09:40:00.000Z', files.bo),
      row('bo', 's3-bluegreen', 'warmup', 'fail', 'minReadySeconds ≥ 10,minReadySeconds 0,', '2026-11-26T09:40:00.000Z', files.bo),
      row('bo', 's3-bluegreen', 'switched', 'fail', 'switched done,switched not done,', '2026-11-26T09:40:00.000Z', files.bo),
      row('bo', 's3-bluegreen', 'rollback-ready', 'pass', ',,', '2026-11-26T09:40:00.000Z', files.bo),
      // bo graded in Korean: the skip reason is the learner's file's, in the learner's language
      row('bo', 's3-bluegreen', 'traffic', 'skip', ',,건너뜀: 스냅샷에 측정값이 없습니다', '2026-11-26T09:40:00.000Z', files.bo),
      ...s4.map((c) => row('bo', 's4-canary', c, 'not-graded', ',,', '2026-11-26T09:40:00.000Z', files.bo)),
      ...s3.map((c) => row('최유진', 's3-bluegreen', c, 'not-graded', ',,', '2026-11-26T08:30:00.000Z', files.yujin)),
      row('최유진', 's4-canary', 'backends', 'pass', ',,', '2026-11-26T08:30:00.000Z', files.yujin),
      row('최유진', 's4-canary', 'weight', 'fail', "20,'=1+1,", '2026-11-26T08:30:00.000Z', files.yujin),
      row('최유진', 's4-canary', 'header', 'not-graded', ',,', '2026-11-26T08:30:00.000Z', files.yujin),
      row('최유진', 's4-canary', 'traffic', 'fail', 'v2 share 20% ± 8,"weights ""80, 20""\nbut 0% v2",', '2026-11-26T08:30:00.000Z', files.yujin),
    ];
    expect(csv).toBe(`\uFEFF${expected.join('\r\n')}\r\n`);
  });

  it('quotes CSV fields per RFC 4180 and defuses formulas only in text from the learners\' files', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")', true)).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)', true)).toBe("'@SUM(A1)");
    expect(csvField('-1', true)).toBe('-1');
    expect(csvField('+20%', true)).toBe('+20%');
    expect(csvField('=not from a file')).toBe('=not from a file');
  });

  it('shows only the labs named with --labs', () => {
    const only = buildClassReport(handIns.handIns, [], { lang: 'en', labs: ['s4-canary'] });
    expect(only.labs.map((l) => l.lab.id)).toEqual(['s4-canary']);
    expect(only.learners.map((l) => l.cells.map((c) => c.status).join(' '))).toEqual(['none none none none', 'none none none none', 'pass fail none fail']);
  });

  it('leaves out, with a note, labs and checks this kit\'s catalog does not have', () => {
    const file = join(root, 'newer-kit', 'gil.grade.json');
    mkdirSync(join(file, '..'), { recursive: true });
    const report = JSON.parse(read(files.ana));
    report.learner = 'gil';
    report.labs[0].checks.push({ id: 'made-up', status: 'fail', message: 'x', title: 'x' });
    report.labs.push({ id: 's9-future', title: 'A lab from a newer kit', checks: [{ id: 'one', status: 'pass', message: 'ok', title: 'one' }] });
    writeFileSync(file, JSON.stringify(report));
    return readHandIns([file], { lang: 'en' }).then((h) => {
      const r = buildClassReport(h.handIns, h.skipped, { lang: 'en' });
      expect(r.labs.map((l) => l.lab.id)).toEqual(['s3-bluegreen']);
      expect(r.learners[0].cells.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
      expect(r.notes.map((n) => n.text.en)).toEqual(["check s3-bluegreen/made-up is not in this kit's catalog; left out", "lab s9-future is not in this kit's catalog; left out"]);
    });
  });

  it('speaks the instructor\'s language: titles and hints from the catalog, whatever the learner\'s language', () => {
    const ko = buildClassReport(handIns.handIns, [], { lang: 'ko', now });
    const csv = renderClassCsv(ko);
    expect(csv).toContain(`bo,s3-bluegreen,warmup,fail,${csvField(title('s3-bluegreen', 'warmup', 'ko'))},`);
    expect(csv).toContain(`ana,s3-bluegreen,switched,pass,${csvField(title('s3-bluegreen', 'switched', 'ko'))},`);
  });
});

describe('bad input', () => {
  const dir = join(root, 'bad');
  const gradedAt = new Date('2026-11-26T09:00:00Z');
  let handIns: HandIns;
  const reasons = () => Object.fromEntries(handIns.skipped.map((s) => [s.file.slice(dir.length + 1), s.reason.en]));

  beforeAll(async () => {
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    writeHandIn(dir, { learner: 'ok', plan: { 's3-bluegreen': 'pass' }, gradedAt });
    writeHandIn(join(dir, 'nested', 'deeper'), { learner: 'deep', plan: { 's3-bluegreen': 'fail' }, gradedAt });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'not-a-grade', version: '1.0.0' }));
    writeFileSync(join(dir, 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
    writeFileSync(join(dir, 'broken.json'), '{"kind": "CicdLabGrade", ');
    writeFileSync(join(dir, 'binary.json'), Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b]));
    writeFileSync(join(dir, 'empty.yaml'), '');
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'gone.json'));
    symlinkSync(dir, join(dir, 'nested', 'loop')); // a link back up: searched once
    writeFileSync(join(dir, 'notes.txt'), 'not looked at: not JSON or YAML by name');
    writeHandIn(dir, { learner: 'x', plan: { 's3-bluegreen': 'pass' }, gradedAt, anonymous: true, file: 'grade.json' });
    const bad = JSON.parse(read(writeHandIn(dir, { learner: 'shape', plan: { 's3-bluegreen': 'pass' }, gradedAt })));
    bad.labs[0].checks[0].status = 'passed';
    writeFileSync(join(dir, 'shape.grade.json'), JSON.stringify(bad));
    const sneaky = JSON.parse(read(writeHandIn(dir, { learner: 'sneaky', plan: { 's3-bluegreen': 'pass' }, gradedAt })));
    sneaky.learner = '../../etc/passwd';
    writeFileSync(join(dir, 'sneaky.grade.json'), JSON.stringify(sneaky));
    handIns = await readHandIns([dir, join(dir, 'notes.txt'), join(dir, 'missing-folder')], { lang: 'en' });
  });

  it('reads the hand-ins among them, in nested folders too', () => {
    expect(handIns.handIns.map((h) => h.learner).sort()).toEqual(['deep', 'ok']);
  });

  it('lists every unreadable or foreign file as skipped, with the reason', () => {
    const r = reasons();
    expect(Object.keys(r).sort()).toEqual(['binary.json', 'broken.json', 'deploy.yaml', 'empty.yaml', 'gone.json', 'grade.json', 'missing-folder', 'notes.txt', 'package.json', 'shape.grade.json', 'sneaky.grade.json']);
    expect(r['package.json']).toBe('not a cicd-lab grade file (CicdLabGrade) or snapshot (CicdLabSnapshot): it has no kind');
    expect(r['deploy.yaml']).toBe('not a cicd-lab grade file (CicdLabGrade) or snapshot (CicdLabSnapshot): its kind is "Deployment"');
    expect(r['notes.txt']).toBe('not a cicd-lab grade file (CicdLabGrade) or snapshot (CicdLabSnapshot): it has no kind');
    expect(r['broken.json']).toMatch(/^neither valid JSON nor YAML: /);
    expect(r['binary.json']).toBe('not UTF-8 text');
    expect(r['empty.yaml']).toBe('empty file');
    expect(r['gone.json']).toBe('does not exist (ENOENT)');
    expect(r['missing-folder']).toBe('does not exist (ENOENT)');
    expect(r['grade.json']).toBe('no learner name: no learner field and the file is not named <name>.grade.json (hand in with npm run grade -- --learner <name>)');
    expect(r['shape.grade.json']).toBe('not in the CicdLabGrade v1 shape: labs[0].checks[0].status: expected one of "pass", "fail", "skip", found "passed"');
    expect(r['sneaky.grade.json']).toBe('learner name "../../etc/passwd" cannot be used: it must start with a letter or digit and use only letters, digits, . _ -');
  });

  it('refuses a grade file of an unknown version with an error that names the file', async () => {
    const future = join(root, 'future');
    writeHandIn(future, { learner: 'ok', plan: { 's3-bluegreen': 'pass' }, gradedAt });
    const file = writeHandIn(future, { learner: 'eve', plan: { 's3-bluegreen': 'pass' }, gradedAt });
    writeFileSync(file, read(file).replace('"version": 1', '"version": 2'));
    const error = await readHandIns([future], { lang: 'en' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toContain(`${file}: grade report version 2 is one this kit does not know (it reads version 1)`);
  });

  it('refuses a snapshot of an unknown version the same way', async () => {
    const future = join(root, 'future-snapshot');
    mkdirSync(future);
    const file = join(future, 'kim.snapshot.json');
    writeFileSync(file, JSON.stringify({ kind: 'CicdLabSnapshot', version: 3 }));
    await expect(readHandIns([future], { lang: 'en' })).rejects.toThrow(`${file}: snapshot version 3 is one this kit does not know`);
  });
});

describe('two files for one learner', () => {
  const dir = join(root, 'twice');
  let handIns: HandIns;
  let older: string;
  let newer: string;

  beforeAll(async () => {
    older = writeHandIn(join(dir, 'monday'), { learner: 'dana', plan: { 's3-bluegreen': 'fail' }, gradedAt: new Date('2026-11-26T09:00:00Z') });
    // renamed by the learner, and the name in another case: the field says who, and names match without case
    newer = writeHandIn(join(dir, 'tuesday'), { learner: 'Dana', plan: { 's3-bluegreen': 'pass' }, gradedAt: new Date('2026-11-26T09:30:00Z'), file: 'my-work.json' });
    // file times say the opposite of gradedAt: gradedAt decides
    utimesSync(older, new Date(), new Date());
    utimesSync(newer, new Date('2020-01-01'), new Date('2020-01-01'));
    handIns = await readHandIns([dir], { lang: 'en' });
  });

  it('keeps the newest by the time it was graded', () => {
    expect(handIns.handIns.map((h) => [h.learner, h.file])).toEqual([['Dana', newer]]);
    expect(handIns.handIns[0].report.labs[0].checks.every((c) => c.status === 'pass')).toBe(true);
  });

  it('lists the older one as skipped, naming the file kept', () => {
    expect(handIns.skipped).toEqual([{ file: older, reason: expect.objectContaining({ en: `dana has a newer file, ${newer} (graded 2026-11-26T09:30:00.000Z)` }) }]);
  });
});

describe('snapshots handed in', () => {
  const dir = join(root, 'snapshots');
  let handIns: HandIns;

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    const solvedSnapshot = snapshotOf(await solved('s3-bluegreen'), [grader]);
    const starterSnapshot = snapshotOf(await started('s3-bluegreen'), [grader]);
    saveSnapshot(join(dir, 'lee.snapshot.yaml'), solvedSnapshot);
    saveSnapshot(join(dir, 'state.json'), { ...starterSnapshot, learner: 'park' });
    // a live-only probe missing: the traffic check is skipped, not failed
    saveSnapshot(join(dir, 'han.yaml'), { ...solvedSnapshot, probes: {} });
    handIns = await readHandIns([dir], { lang: 'en' });
  });

  it('grades them on the fly with the engine, attributed by their learner field or their file name', () => {
    const s3 = (h: HandIn) => h.report.labs.find((l) => l.id === 's3-bluegreen')!.checks.map((c) => c.status).join(' ');
    const got = Object.fromEntries(handIns.handIns.map((h) => [h.learner, [h.source, h.report.mode, s3(h)]]));
    expect(got).toEqual({
      lee: ['snapshot', 'snapshot', 'pass pass pass pass pass'],
      park: ['snapshot', 'snapshot', 'fail fail fail pass fail'],
      han: ['snapshot', 'snapshot', 'pass pass pass pass skip'],
    });
  });

  it('grades only the labs that have a grader (labs/pending.yaml are left out of the matrix)', () => {
    const { labs, pending } = catalog();
    const built = labs.map((l) => l.id).filter((id) => !pending.includes(id));
    for (const h of handIns.handIns) expect(h.report.labs.map((l) => l.id)).toEqual(built);
    const report = buildClassReport(handIns.handIns, handIns.skipped, { lang: 'en' });
    expect(report.labs.map((l) => l.lab.id)).toEqual(built);
  });

  it('counts a snapshot as graded when it was captured', () => {
    const lee = handIns.handIns.find((h) => h.learner === 'lee')!;
    const captured = loadSnapshot(join(dir, 'lee.snapshot.yaml')).capturedAt!;
    expect(lee.gradedAt.getTime()).toBe(Date.parse(captured));
    expect(lee.report.gradedAt).toBe(new Date(captured).toISOString());
  });
});

describe('200 learners × every lab', () => {
  const dir = join(root, 'big');
  const out = join(root, 'big-out');
  const learners = 200;
  const total = catalog().labs.reduce((n, l) => n + l.checks.length, 0);
  let report: ClassReport;
  let written: ReturnType<typeof writeClassReport>;

  beforeAll(() => {
    writeBigClass(dir, learners);
  });

  // How fast this is, per learner, is a figure of npm run bench (test/bench/bench.ts).
  it('reads, builds and writes the report of every learner and lab', async () => {
    const handIns = await readHandIns([dir], { lang: 'en' });
    report = buildClassReport(handIns.handIns, handIns.skipped, { lang: 'en' });
    written = writeClassReport(report, out);
    console.log(`class report of ${learners} learners × ${report.labs.length} labs (${total} checks): class.html ${(written.htmlBytes / 1024).toFixed(0)} KB, class.csv ${(written.csvBytes / 1024).toFixed(0)} KB`);
    expect(handIns.handIns).toHaveLength(learners);
    expect(report.labs).toHaveLength(catalog().labs.length);
  });

  it('has one CSV row per learner × check', () => {
    const lines = read(written.csv).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + learners * total);
  });

  it('has one matrix row per learner and one cell per check in the HTML', () => {
    const html = read(written.html);
    const body = html.slice(html.indexOf('<tbody>\n'), html.indexOf('</tbody></table></div>'));
    expect(body.match(/<tr data-name=/g)).toHaveLength(learners);
    expect(body.match(/<td class="[pfsn]( g)?( hot)?"/g)).toHaveLength(learners * total);
  });
});

// ------------------------------------------------------------------------------------------------

describe('npm run class-report', () => {
  it('hands in with one command and reports the room: the grade file beats the older snapshot saved with it', async () => {
    const handins = join(root, 'cli-handins');
    const out = join(root, 'cli-out');
    const starter = join(root, 'cli-starter.json');
    // captured long before the grade file is written: the grade file is the newer hand-in
    saveSnapshot(starter, snapshotOf(await started('s3-bluegreen', new SimCluster('2026-01-05T09:00:00Z')), [grader]));
    const grade = await tsx('scripts/grade.ts', ['s3-bluegreen', '--snapshot', starter, '--learner', 'kim-minji', '--save', join(handins, 'kim-minji.snapshot.yaml')], cleanEnv({ LAB_REPORTS_DIR: handins }));
    expect(grade.code, grade.stderr).toBe(1);
    expect(read(join(handins, 'kim-minji.snapshot.yaml'))).toContain('learner: kim-minji');
    writeHandIn(handins, { learner: 'lee', plan: { 's3-bluegreen': 'pass' }, gradedAt: new Date() });

    const r = await tsx('scripts/class-report.ts', [handins, '--out', out, '--title', 'Seoul, day 2'], cleanEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 learners (0 graded here from snapshots), 1 lab: s3-bluegreen 1/2 complete');
    expect(r.stdout).toContain('Most often failing: s3-bluegreen/green-ready (1 learner)');
    // grade.json is the same hand-in as kim-minji.grade.json, and the snapshot is older: both left out, with reasons
    expect(r.stdout).toMatch(/\/grade\.json: the same hand-in as .*kim-minji\.grade\.json \(kim-minji, graded at the same time\)/);
    expect(r.stdout).toMatch(/kim-minji\.snapshot\.yaml: kim-minji has a newer file, .*kim-minji\.grade\.json/);
    expect(r.stdout).toMatch(/Class report: .*class\.html \(\d+ KB\), .*class\.csv — \d+ ms/);
    const csv = read(join(out, 'class.csv'));
    expect(csv).toContain('kim-minji,s3-bluegreen,switched,fail,');
    expect(read(join(out, 'class.html'))).toContain('<small>Seoul, day 2</small>');
  });

  it('exits 2 with an error naming the file of an unknown version, and writes nothing', async () => {
    const dir = join(root, 'cli-future');
    const out = join(root, 'cli-future-out');
    const file = writeHandIn(dir, { learner: 'eve', plan: { 's3-bluegreen': 'pass' }, gradedAt: new Date() });
    writeFileSync(file, read(file).replace('"version": 1', '"version": 9'));
    const r = await tsx('scripts/class-report.ts', [dir, '--out', out], cleanEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: grade report version 9 is one this kit does not know`);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    expect(existsSync(join(out, 'class.html'))).toBe(false);
  });

  it('exits 2 with the usage when no folder is named, and with the reasons when nothing in it is a hand-in', async () => {
    const none = await tsx('scripts/class-report.ts', [], cleanEnv());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run class-report -- <file|folder>…');
    const dir = join(root, 'cli-empty');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"name": "x"}');
    const empty = await tsx('scripts/class-report.ts', [dir], cleanEnv({ LAB_LANG: 'ko' }));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('학습자의 채점 파일이나 스냅샷을 찾지 못했습니다(살펴본 파일 1개)');
    expect(empty.stderr).toContain('package.json: cicd-lab 채점 보고서(CicdLabGrade)나 스냅샷(CicdLabSnapshot)이 아닙니다: kind 항목이 없습니다');
  });

  it('checks its options: an unknown lab lists the labs, a bad --sort or --top says what is allowed', async () => {
    const dir = join(root, 'small');
    const lab = await tsx('scripts/class-report.ts', [dir, '--labs', 's3-bluegren'], cleanEnv());
    expect(lab.code).toBe(2);
    expect(lab.stderr).toContain('There is no lab "s3-bluegren". The labs are:');
    const sort = await tsx('scripts/class-report.ts', [dir, '--sort', 'age'], cleanEnv());
    expect(sort.stderr).toContain('--sort "age" must be one of name, progress, graded.');
    const top = await tsx('scripts/class-report.ts', [dir, '--top', '0'], cleanEnv());
    expect(top.stderr).toContain('--top "0" must be a whole number, 1 or more.');
  });
});

// ------------------------------------------------------------------------------------------------

describe.skipIf(Boolean(chromiumMissing))(`class.html in headless Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  const dir = join(root, 'browser');
  const out = join(root, 'browser-out');
  const shots = join(REPORTS_DIR, 'screenshots');
  let now: Date;
  const xss = '<img src=x onerror="window.__pwned=1">';
  let browser: Awaited<ReturnType<typeof launch>>;
  let url: string;
  let koUrl: string;
  const names = ['ana', 'bo', 'chris', 'dana', 'eun-ji', '김민지', 'lee', 'park'];

  beforeAll(async () => {
    now = new Date();
    const ids = ['s1-recreate', 's2-rolling', 's3-bluegreen', 's4-canary'];
    names.forEach((learner, i) => {
      const plan: Plan = {};
      ids.forEach((id, k) => {
        if (k < i % 4) plan[id] = 'pass';
        else if (k === i % 4) plan[id] = Object.fromEntries(getLab(id).checks.map((c, j) => [c.id, (i + j) % 3 === 0 ? 'fail' : 'pass']));
      });
      writeHandIn(dir, { learner, plan, gradedAt: new Date(now.getTime() - minutes(5 + 7 * i)), lang: i % 2 ? 'ko' : 'en', failures: { 's1-recreate/strategy': { expected: 'Recreate', observed: xss } } });
    });
    const handIns = await readHandIns([dir], { lang: 'en' });
    const report = buildClassReport(handIns.handIns, handIns.skipped, { lang: 'en', now, title: 'Workshop <b>day 1</b>' });
    url = pathToFileURL(writeClassReport(report, out).html).href;
    koUrl = pathToFileURL(writeClassReport(buildClassReport(handIns.handIns, handIns.skipped, { lang: 'ko', now }), join(out, 'ko')).html).href;
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(hash = '', at = url) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(at + hash, { waitUntil: 'load' });
    return { page, errors, requests };
  }
  const order = (page: Awaited<ReturnType<typeof open>>['page']) => page.locator('#matrix tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name));

  it('opens from file:// without console errors or any request, one matrix row per learner (screenshot reports/screenshots/class-report.png)', async () => {
    const { page, errors, requests } = await open();
    expect(await page.locator('#matrix tbody tr').count()).toBe(names.length);
    expect(await page.locator('#matrix tbody tr').first().locator('td.p, td.f, td.s, td.n').count()).toBe(2 + 3 + 5 + 4);
    await page.screenshot({ path: join(shots, 'class-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('runs its style and script from src/report/class-page/ as they are: every CSS rule taken, the script type-checked', async () => {
    const css = read(join(ROOT, 'src/report/class-page/page.css'));
    const js = read(join(ROOT, 'src/report/class-page/page.js'));
    const html = read(fileURLToPath(url));
    expect(html).toContain(`<style>${css}</style>`);
    expect(html).toContain(`<script type="module">${js}</script>`);
    // `npm run typecheck` checks the script through its JSDoc types (tsconfig allowJs + this line).
    expect(js.startsWith('// @ts-check\n')).toBe(true);
    // A rule the browser cannot parse is dropped whole: as many rules in the page as in the file.
    const topLevelRules = css.replace(/\/\*[\s\S]*?\*\//g, '').split('').reduce(
      (acc, ch) => (ch === '{' ? { depth: acc.depth + 1, rules: acc.rules + (acc.depth === 0 ? 1 : 0) } : ch === '}' ? { ...acc, depth: acc.depth - 1 } : acc),
      { depth: 0, rules: 0 },
    ).rules;
    const { page } = await open();
    expect(await page.evaluate(() => document.styleSheets[0].cssRules.length)).toBe(topLevelRules);
    expect(topLevelRules).toBeGreaterThan(40);
    await page.close();
  });

  it('speaks Korean with LAB_LANG=ko (screenshot reports/screenshots/class-report-ko.png)', async () => {
    const { page, errors } = await open('', koUrl);
    expect(await page.locator('h1').textContent()).toBe('반 현황');
    expect(await page.locator('#failing li').first().textContent()).toContain('힌트:');
    expect(await page.locator('#matrix tbody tr[data-name="ana"] td.when time').textContent()).toMatch(/^[56]분 전$/);
    await page.screenshot({ path: join(shots, 'class-report-ko.png'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows 200 learners, one row each (screenshot reports/screenshots/class-report-200.png)', async () => {
    const big = join(root, 'big-out', 'class.html');
    expect(existsSync(big), 'written by the 200-learner test above').toBe(true);
    const started = performance.now();
    const { page, errors, requests } = await open('#sort=progress', pathToFileURL(big).href);
    const loaded = performance.now() - started;
    expect(await page.locator('#matrix tbody tr').count()).toBe(200);
    const passed = await page.locator('#matrix tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.passed)));
    expect(passed).toEqual([...passed].sort((a, b) => b - a));
    console.log(`class.html of 200 learners opened and sorted in Chromium in ${loaded.toFixed(0)} ms`);
    await page.locator('#room').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'class-report-200.png'), fullPage: false });
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it('sorts by progress, last graded, one lab and learner name, and keeps the order across a reload', async () => {
    const { page, errors } = await open();
    expect(await order(page)).toEqual(['ana', 'bo', 'chris', 'dana', 'eun-ji', 'lee', 'park', '김민지']);
    await page.locator('button[data-sort="progress"]').click();
    const progress = await order(page);
    const passed = await page.locator('#matrix tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.passed)));
    expect(passed).toEqual([...passed].sort((a, b) => b - a));
    expect(await page.locator('th:has(button[data-sort="progress"])').getAttribute('aria-sort')).toBe('descending');
    await page.locator('button[data-sort="progress"]').click();
    expect(await order(page)).toEqual([...progress].reverse());
    await page.locator('button[data-sort="graded"]').click();
    // graded 5 + 7i minutes ago: the longest ago first
    expect(await order(page)).toEqual([...names].reverse());
    await page.locator('button[data-sort="lab2"]').click(); // s3-bluegreen
    const s3 = await page.locator('#matrix tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.labs!.split(',')[2])));
    expect(s3).toEqual([...s3].sort((a, b) => b - a));
    await page.locator('button[data-sort="progress"]').click();
    expect(page.url()).toMatch(/#sort=progress$/);
    await page.reload({ waitUntil: 'load' });
    expect(await order(page)).toEqual(progress);
    await page.locator('button[data-sort="name"]').click();
    expect(await order(page)).toEqual(['ana', 'bo', 'chris', 'dana', 'eun-ji', 'lee', 'park', '김민지']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows what came from the files as text, never as markup', async () => {
    const { page } = await open();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#matrix img').count()).toBe(0);
    const title = await page.locator('#matrix tbody tr[data-name="ana"] td.f').first().getAttribute('title');
    expect(title).toContain(`observed: ${xss}`);
    expect(await page.locator('h1 small').textContent()).toBe('Workshop <b>day 1</b>');
    await page.close();
  });

  it('reloads itself with --refresh, keeping the order chosen', async () => {
    const html = writeClassReport(buildClassReport((await readHandIns([dir], { lang: 'en' })).handIns, [], { lang: 'en' }), join(out, 'refresh'), { refreshSeconds: 1 }).html;
    const { page, errors } = await open('', pathToFileURL(html).href);
    // On a busy machine the first reload can come while the click is on its way and take it with
    // the old page: click until the choice is in the address, then see it survive the next reload.
    await expect
      .poll(
        async () => {
          if (!/#sort=graded$/.test(page.url())) await page.locator('button[data-sort="graded"]').click({ timeout: 2_000 }).catch(() => {});
          return page.url();
        },
        { timeout: 15_000 },
      )
      .toMatch(/#sort=graded$/);
    await page.waitForEvent('load', { timeout: 10_000 });
    expect(page.url()).toMatch(/#sort=graded$/);
    expect(await order(page)).toEqual([...names].reverse());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows each learner\'s last graded time, relative (kept current by the page) and absolute', async () => {
    const { page } = await open();
    const cell = page.locator('#matrix tbody tr[data-name="ana"] td.when');
    expect(await cell.locator('time').textContent()).toBe(relativeTime(new Date(now.getTime() - minutes(5)), new Date(), 'en'));
    expect(await cell.locator('time').textContent()).toMatch(/^[56] minutes ago$/);
    expect(await cell.locator('small').textContent()).toMatch(/\d\d:\d\d/);
    await page.close();
  });

  it('lists completion per lab and the most often failing checks with their hints', async () => {
    const { page } = await open();
    expect(await page.locator('#labs tbody tr').count()).toBe(4);
    const first = page.locator('#failing li').first();
    expect(await first.textContent()).toContain('Hint:');
    const hints = await page.locator('#failing li').allTextContents();
    expect(hints.some((h) => h.includes(t(getLab('s1-recreate').checks[0].hint, 'en')))).toBe(true);
    await page.close();
  });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
