import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s3-bluegreen.test.js';
import { catalog } from '../../src/catalog.js';
import { loadSnapshot, saveSnapshot } from '../../src/snapshot.js';
import { cleanEnv, npmRun, run, tsx } from '../lib/cli.js';
import { closedPort } from '../lib/fake-http.js';
import { writeKubeconfig } from '../lib/fake-apiserver.js';
import { snapshotOf, solved, started } from '../lib/lab-states.js';
import { tempDir } from '../lib/temp.js';

const dir = tempDir('cli');
const solvedFile = join(dir, 'solved.yaml');
const starterFile = join(dir, 'starter.json');
const reports = (name: string) => join(dir, name);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
/** Lines a learner sees as an error: no stack trace, no noise. */
const messageLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

beforeAll(async () => {
  saveSnapshot(solvedFile, snapshotOf(await solved('s3-bluegreen'), [grader]));
  saveSnapshot(starterFile, snapshotOf(await started('s3-bluegreen'), [grader]));
});

describe('npm test without a cluster', () => {
  it('exits 2 with one clear message and no stack trace', async () => {
    const r = await npmRun('test', [], cleanEnv());
    expect(r.code).toBe(2);
    expect(messageLines(r.stderr)).toEqual([
      '✗ No kubeconfig found (looked at /nonexistent/.kube/config), so there is no lab cluster yet. Create or restart the lab cluster with `npm run up` (Docker must be running).',
    ]);
    expect(r.stdout).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('says what it tried when the cluster does not answer', async () => {
    const kubeconfig = writeKubeconfig(`http://127.0.0.1:${await closedPort()}`, ['kind-cicd-lab']);
    const r = await tsx('scripts/grade.ts', ['s3-bluegreen'], cleanEnv({ KUBECONFIG: kubeconfig }));
    expect(r.code).toBe(2);
    expect(messageLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(`context kind-cicd-lab, kubeconfig ${kubeconfig}): connection refused`);
  });

  it('refuses a kubeconfig whose only context is not the lab\'s, and says how to name one', async () => {
    const kubeconfig = writeKubeconfig(`http://127.0.0.1:${await closedPort()}`, ['gke_prod']);
    const r = await tsx('scripts/grade.ts', [], cleanEnv({ KUBECONFIG: kubeconfig, LAB_LANG: 'ko' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('랩의 컨텍스트 kind-cicd-lab가 kubeconfig');
    expect(r.stderr).toContain('현재 컨텍스트: gke_prod');
    expect(r.stderr).toContain('--context <이름>');
  });
});

describe('bad input', () => {
  it('an unknown lab id lists the valid ones', async () => {
    const r = await tsx('scripts/grade.ts', ['s3-blugreen'], cleanEnv({ LAB_SNAPSHOT: solvedFile }));
    expect(r.code).toBe(2);
    expect(messageLines(r.stderr)).toEqual([`✗ There is no lab "s3-blugreen". The labs are: ${catalog().labs.map((l) => l.id).join(', ')}`]);
  });

  it('a malformed snapshot names the bad field', async () => {
    const bad = join(dir, 'bad.yaml');
    saveSnapshot(bad, { kind: 'CicdLabSnapshot', version: 1, kubernetes: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 'one' as unknown as number } }] });
    const r = await tsx('scripts/grade.ts', ['s3-bluegreen'], cleanEnv({ LAB_SNAPSHOT: bad }));
    expect(r.code).toBe(2);
    expect(messageLines(r.stderr)).toEqual([`✗ The snapshot does not have the CicdLabSnapshot v1 shape (${bad})`, '  kubernetes[0].metadata.generation: expected integer, found a string']);
  });

  it('an unknown snapshot version is refused', async () => {
    const future = join(dir, 'future.json');
    saveSnapshot(future, { kind: 'CicdLabSnapshot', version: 2 as 1 });
    const r = await tsx('scripts/grade.ts', [], cleanEnv({ LAB_SNAPSHOT: future }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is snapshot version 2, which this kit does not know');
  });

  it('parses its options as every command does (scripts/lib/options.ts): a misspelt or valueless option stops with the usage, exit 2', async () => {
    const { parseGradeArgs } = await import('../../scripts/grade.js');
    const { parseClassArgs } = await import('../../scripts/class-report.js');
    expect(parseGradeArgs(['s1-recreate', '--learner', 'kim', '--save', 'x.yaml'], {})).toEqual({ labs: ['s1-recreate'], learner: 'kim', save: 'x.yaml', context: undefined, snapshot: undefined });
    expect(() => parseGradeArgs(['--sav', 'x'], {})).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^Unknown option '--sav'[^\n]*\nusage: npm test /) }));
    expect(() => parseGradeArgs(['--save'], {})).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^Option '--save <value>' argument missing\nusage: npm test /) }));
    expect(() => parseClassArgs(['handins', '--tilte', 'x'], {})).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^Unknown option '--tilte'[^\n]*\nusage: npm run class-report /) }));
    expect(() => parseClassArgs(['handins', '--top', '0'], {})).toThrow(expect.objectContaining({ exitCode: 2, message: '--top "0" must be a whole number, 1 or more.\nusage: npm run class-report -- <file|folder>… [--out <dir>] [--labs <id,…>] [--top <n>] [--sort name|progress|graded] [--title <text>] [--refresh <seconds>] · npm run class-report -- --watch <folder> [--port <n>] […]' }));
  });

  it('an unknown option shows the usage', async () => {
    const r = await tsx('scripts/grade.ts', ['--sav', 'x'], cleanEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: npm test [-- <lab>…]');
  });
});

describe('LAB_SNAPSHOT=<file> npm test -- s3-bluegreen', () => {
  // How fast this is end to end is a figure of npm run bench (test/bench/bench.ts).
  it('grades the solution: exit 0, every check passes in grade.json and junit.xml', async () => {
    const out = reports('solved');
    const r = await npmRun('test', ['s3-bluegreen'], cleanEnv({ LAB_SNAPSHOT: solvedFile, LAB_REPORTS_DIR: out }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = readJson(join(out, 'grade.json'));
    expect(report).toMatchObject({ kind: 'CicdLabGrade', version: 1, context: 'kind-cicd-lab', mode: 'snapshot' });
    expect(Date.parse(report.gradedAt)).not.toBeNaN();
    expect(report.labs.map((l: any) => l.id)).toEqual(['s3-bluegreen']);
    expect(report.labs[0].checks.map((c: any) => [c.id, c.status])).toEqual([
      ['green-ready', 'pass'], ['warmup', 'pass'], ['switched', 'pass'], ['rollback-ready', 'pass'], ['traffic', 'pass'],
    ]);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(5);
    expect(junit).toContain('<testcase classname="s3-bluegreen" name="[green-ready] web-green (version=green) is fully rolled out and available"/>');
  });

  it('grades the starter: exit 1, the failures with expected, observed and hint, and the table last', async () => {
    const out = reports('starter');
    const r = await tsx('scripts/grade.ts', ['s3-bluegreen'], cleanEnv({ LAB_SNAPSHOT: starterFile, LAB_REPORTS_DIR: out }));
    expect(r.code).toBe(1);
    const checks = readJson(join(out, 'grade.json')).labs[0].checks;
    expect(checks.map((c: any) => c.status)).toEqual(['fail', 'fail', 'fail', 'pass', 'fail']);
    expect(checks[2]).toMatchObject({ id: 'switched', expected: 'selector version=green', observed: 'selector app=web,version=blue', docs: 'docs/en/strategies/s3-bluegreen.md#switch' });
    expect(checks[2].hint).toContain("one change to the Service's selector");
    const table = r.stdout.lastIndexOf('│ Lab ');
    expect(table).toBeGreaterThan(r.stdout.indexOf('[traffic]'));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Reports: .*grade\.json, .*junit\.xml$/);
    expect(r.stdout).toContain('1 passed · 4 failed · 0 skipped (of 5)');
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit.match(/<failure /g)).toHaveLength(4);
  });

  it('speaks Korean with LAB_LANG=ko, in the terminal and in grade.json', async () => {
    const out = reports('ko');
    const r = await tsx('scripts/grade.ts', ['s3-bluegreen'], cleanEnv({ LAB_SNAPSHOT: starterFile, LAB_REPORTS_DIR: out, LAB_LANG: 'ko' }));
    expect(r.stdout).toContain('│ 실습         │ 검사           │ 결과   │');
    expect(r.stdout).toContain('통과 1 · 실패 4 · 건너뜀 0 (전체 5)');
    const report = readJson(join(out, 'grade.json'));
    expect(report.lang).toBe('ko');
    expect(report.labs[0].checks[2].title).toBe('Service web이 version: green을 선택한다');
    expect(report.labs[0].checks[2].docs).toBe('docs/strategies/s3-bluegreen.md#switch');
  });

  it('with no lab named, grades every lab that has a grader and says which are still being built', async () => {
    const out = reports('all');
    const r = await tsx('scripts/grade.ts', [], cleanEnv({ LAB_SNAPSHOT: solvedFile, LAB_REPORTS_DIR: out }));
    const { labs, pending } = catalog();
    const built = labs.map((l) => l.id).filter((id) => !pending.includes(id));
    expect(readJson(join(out, 'grade.json')).labs.map((l: any) => l.id)).toEqual(built);
    if (pending.length) expect(r.stdout).toContain(`Not grading ${pending.length} labs still being built`);
  });
});

describe('npm run grade', () => {
  it('--save writes the state it graded as a snapshot that grades the same (named after --learner), and --learner a hand-in file', async () => {
    const out = reports('grade');
    const saved = join(dir, 'saved.yaml');
    const r = await tsx('scripts/grade.ts', ['s3-bluegreen', '--snapshot', starterFile, '--save', saved, '--learner', 'kim-minji'], cleanEnv({ LAB_REPORTS_DIR: out }));
    expect(r.code).toBe(1);
    expect(loadSnapshot(saved)).toEqual({ ...loadSnapshot(starterFile), learner: 'kim-minji' });
    const handIn = readJson(join(out, 'kim-minji.grade.json'));
    expect(handIn.learner).toBe('kim-minji');
    expect(handIn.labs[0].checks).toEqual(readJson(join(out, 'grade.json')).labs[0].checks);
  });

  it('refuses a learner name that cannot be a file name', async () => {
    const r = await tsx('scripts/grade.ts', ['--learner', '../etc/x'], cleanEnv({ LAB_SNAPSHOT: starterFile }));
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'etc'))).toBe(false);
  });
});

describe('the graders under Vitest', () => {
  it('print and write what npm test does: npm test runs the same checks in its own process, without Vitest', async () => {
    const viaNpm = reports('same-npm');
    const viaVitest = reports('same-vitest');
    const env = { LAB_SNAPSHOT: starterFile, LAB_LANG: 'ko' };
    const npm = await npmRun('test', ['s3-bluegreen'], cleanEnv({ ...env, LAB_REPORTS_DIR: viaNpm }));
    const vitest = await run(join('node_modules', '.bin', 'vitest'), ['run', '--config', 'vitest.config.ts', 'test/grade/s3-bluegreen.test.ts'], cleanEnv({ ...env, LAB_REPORTS_DIR: viaVitest }));
    expect([npm.code, vitest.code]).toEqual([1, 1]);
    const report = (text: string) => text.slice(text.indexOf('s3-bluegreen —'), text.indexOf('보고서:'));
    expect(report(npm.stdout)).not.toBe('');
    expect(report(vitest.stdout)).toBe(report(npm.stdout));
    const graded = (dir: string) => ({ ...readJson(join(dir, 'grade.json')), gradedAt: undefined });
    expect(graded(viaVitest)).toEqual(graded(viaNpm));
    const junit = (dir: string) => readFileSync(join(dir, 'junit.xml'), 'utf8').replace(/ timestamp="[^"]*"/, '');
    expect(junit(viaVitest)).toBe(junit(viaNpm));
  });

  it('name the suite after the lab and each test "[<check-id>] <title>"', async () => {
    const r = await run(join('node_modules', '.bin', 'vitest'), ['run', '--config', 'vitest.config.ts', '--reporter=json', 'test/grade/s3-bluegreen.test.ts'], cleanEnv({ LAB_SNAPSHOT: solvedFile, LAB_REPORTS_DIR: reports('vitest') }));
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    const tests = json.testResults[0].assertionResults;
    expect(tests.map((t: any) => t.ancestorTitles)).toEqual(Array(5).fill(['s3-bluegreen']));
    expect(tests.map((t: any) => t.title)).toEqual(catalog().labs.find((l) => l.id === 's3-bluegreen')!.checks.map((c) => `[${c.id}] ${c.title.en}`));
  });
});

describe('npm run lab -- list', () => {
  it('shows the fourteen labs grouped by level, in course order', async () => {
    const r = await tsx('scripts/lab.ts', ['list'], cleanEnv());
    expect(r.code).toBe(0);
    const ids = [...r.stdout.matchAll(/^ {2}([a-z0-9-]+) /gm)].map((m) => m[1]);
    expect(ids).toEqual(catalog().labs.map((l) => l.id));
    expect(ids).toHaveLength(14);
    const headings = messageLines(r.stdout).filter((l) => !l.startsWith(' '));
    expect(headings.slice(0, 5)).toEqual(catalog().levels.map((l) => l.title.en));
  });

  it('rejects an unknown command with the usage', async () => {
    const r = await tsx('scripts/lab.ts', ['lsit'], cleanEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: npm run lab -- list | start <lab>');
  });
});
