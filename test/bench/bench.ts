/**
 * npm run bench — the kit's performance figures, each beside a baseline measured in the same run.
 *
 * A time alone says little on a machine that is busy with something else (CI runners, a laptop
 * with Docker running, a shared development box); the ratio to a baseline taken at the same moment
 * says more, and CPU time (user + system, the program's own and its child processes') moves less
 * with the load than wall time. So each figure runs its subject and its baseline in turn, several
 * times, and prints the median CPU and wall time of each and their ratios (as hyperfine does when
 * it compares commands side by side). Nothing here passes or fails: the kit's tests assert
 * correctness only, and CI prints these figures for people to read (.github/workflows/kit.yml).
 *
 *   grading every lab from a snapshot, in process       vs  one `kubectl version --client` process
 *   LAB_SNAPSHOT=<file> npm test (every lab)             vs  a bare `vitest run` of one empty test
 *   LAB_SNAPSHOT=<file> npm test -- s4-canary            vs  `npx vitest --version` (goal: within 2×)
 *   the class report, per learner (read, build, write)   vs  reading the same grade files (JSON.parse)
 *
 * The snapshot is every lab solved on the simulated platform (test/lib/all-labs.ts, reused when
 * the kit tests already built it). Also writes reports/bench.json.
 *
 * Environment: BENCH_RUNS  repetitions of each process figure (default 5; in-process figures run 4× as many)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeAll } from '../../src/engine.js';
import { REPORTS_DIR, rel, ROOT } from '../../src/paths.js';
import { buildClassReport, writeClassReport } from '../../src/report/class-report.js';
import { readHandIns } from '../../src/report/hand-ins.js';
import { loadSnapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { allLabsSnapshot } from '../lib/all-labs.js';
import { cleanEnv } from '../lib/cli.js';
import { provisionTools } from '../lib/provision.js';
import { writeBigClass } from '../lib/synthetic-class.js';
import { toolPath } from '../lib/tools.js';

interface Sample {
  cpu: number;
  wall: number;
}
interface Measured {
  label: string;
  cpu: number;
  wall: number;
  runs: number;
  first?: Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summarize = (label: string, samples: Sample[], first?: Sample): Measured => ({
  label,
  cpu: median(samples.map((s) => s.cpu)),
  wall: median(samples.map((s) => s.wall)),
  runs: samples.length,
  first,
});

/**
 * Run a command to its end and measure it: wall time here, CPU time as bash's `times` reports it for
 * its children (user and system time of the command and every process it started and waited for).
 */
export function measureCommand(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Sample & { status: number; output: string } {
  const started = performance.now();
  const r = spawnSync('bash', ['-c', '"$@" >"$OUT" 2>&1; status=$?; times; exit $status', 'bench', command, ...args], {
    cwd,
    env: { ...env, OUT: join(work, 'out.txt') },
    encoding: 'utf8',
  });
  const wall = performance.now() - started;
  const lines = r.stdout.trim().split('\n');
  const seconds = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const [user, sys] = (lines.at(-1) ?? '').split(/\s+/).map(seconds);
  return { cpu: (user + sys) * 1000, wall, status: r.status ?? -1, output: readFileSync(join(work, 'out.txt'), 'utf8') };
}

/** Measure a function in this process: CPU time of this process (process.cpuUsage), wall time. */
function measureHere(fn: () => void): Sample {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  fn();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000, wall };
}

/** Subject and baseline in turn, `runs` times each, so that both see the same moments of the machine's load. */
function sideBySide(runs: number, subject: () => Sample, baseline: () => Sample): [Sample[], Sample[]] {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(subject());
    b.push(baseline());
  }
  return [a, b];
}

const ms = (x: number) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`.padStart(9);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

interface Figure {
  title: string;
  subject: Measured;
  baseline: Measured;
  goal?: number;
  note?: string;
}

function print(f: Figure): void {
  const row = (name: string, m: Measured) =>
    `    ${name.padEnd(9)} cpu ${ms(m.cpu)}   wall ${ms(m.wall)}   ${m.label}${m.first ? ` (first run: cpu ${ms(m.first.cpu).trim()}, wall ${ms(m.first.wall).trim()})` : ''}`;
  const cpuRatio = f.subject.cpu / f.baseline.cpu;
  const goal = f.goal ? `   goal ≤ ${f.goal}× (CPU): ${cpuRatio <= f.goal ? 'met' : 'NOT met'}` : '';
  console.log(`\n▸ ${f.title}`);
  console.log(row('this', f.subject));
  console.log(row('baseline', f.baseline));
  console.log(`    ratio     ${ratio(f.subject.cpu, f.baseline.cpu)} CPU, ${ratio(f.subject.wall, f.baseline.wall)} wall (median of ${f.subject.runs})${goal}`);
  if (f.note) console.log(`    ${f.note}`);
}

const work = mkdtempSync(join(tmpdir(), 'cicd-lab-bench-'));

async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
  console.log(`[bench] ${provisionTools().note}`);
  // A learner's environment (no cluster, no colour), with the kit's kubectl first on PATH and npm's own HOME.
  const env = cleanEnv({ PATH: toolPath(), HOME: process.env.HOME, LAB_REPORTS_DIR: join(work, 'reports') });
  const figures: Figure[] = [];
  try {
    const { file, graders, built } = await allLabsSnapshot();
    console.log(`[bench] snapshot of every lab solved on the simulated platform: ${rel(file)}${built ? ' (built now)' : ''}`);
    const checks = graders.reduce((n, g) => n + Object.keys(g.checks).length, 0);
    console.log(`[bench] CPU is user + system time; the ratios compare medians of runs taken in turn with the baseline's.`);

    // 1. The grading itself: a snapshot read and every check of every lab run, in this process.
    const grade = () => gradeAll(graders, new LabState(loadSnapshot(file), 'snapshot'));
    const first = measureHere(grade);
    const kubectl = () => measureCommand('kubectl', ['version', '--client'], env);
    const [g, k] = sideBySide(runs * 4, () => measureHere(grade), kubectl);
    figures.push({
      title: `grading every lab from a snapshot, in process (${graders.length} labs, ${checks} checks: load, validate, grade)`,
      subject: summarize('gradeAll(loadSnapshot(…))', g, first),
      baseline: summarize('one `kubectl version --client` process', k),
    });
    print(figures.at(-1)!);

    // 2. What a learner runs: npm test on the snapshot, every lab, end to end.
    const empty = join(work, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'vitest.config.mjs'), 'export default { test: { globals: true } };\n');
    writeFileSync(join(empty, 'empty.test.mjs'), "test('nothing', () => {});\n");
    const vitestBin = join(ROOT, 'node_modules', '.bin', 'vitest');
    const npmTest = (labs: string[]) => () => {
      const r = measureCommand('npm', ['test', '--', ...labs], { ...env, LAB_SNAPSHOT: file });
      if (r.status > 1) throw new Error(`npm test ${labs.join(' ')} exited ${r.status}:\n${r.output}`);
      return r;
    };
    const [all, bare] = sideBySide(runs, npmTest([]), () => measureCommand(vitestBin, ['run', '--root', empty], env, empty));
    figures.push({
      title: `LAB_SNAPSHOT=<file> npm test: every lab, end to end (${graders.length} labs)`,
      subject: summarize('npm test', all),
      baseline: summarize('a bare `vitest run` of one empty test', bare),
    });
    print(figures.at(-1)!);

    // 3. The figure a learner feels after every change: one lab.
    const [one, version] = sideBySide(runs, npmTest(['s4-canary']), () => measureCommand('npx', ['vitest', '--version'], env));
    figures.push({
      title: 'LAB_SNAPSHOT=<file> npm test -- s4-canary: one lab, end to end',
      subject: summarize('npm test -- s4-canary', one),
      baseline: summarize('`npx vitest --version`', version),
      goal: 2,
    });
    print(figures.at(-1)!);

    // 4. The class report: 200 learners' hand-ins of every lab, per learner.
    const learners = 200;
    const classDir = join(work, 'class');
    writeBigClass(join(classDir, 'in'), learners);
    const files = readdirSync(join(classDir, 'in'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    const perLearner = (s: Sample): Sample => ({ cpu: s.cpu / learners, wall: s.wall / learners });
    const report: Sample[] = [];
    const reading: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      const handIns = await readHandIns([join(classDir, 'in')], { lang: 'en' });
      writeClassReport(buildClassReport(handIns.handIns, handIns.skipped, { lang: 'en' }), join(classDir, 'out'));
      const cpu = process.cpuUsage(cpu0);
      report.push(perLearner({ cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - started }));
      reading.push(perLearner(measureHere(() => files.forEach((f) => JSON.parse(readFileSync(f, 'utf8'))))));
    }
    figures.push({
      title: `the class report, per learner (${learners} learners × every lab: read, check, build, write class.html and class.csv)`,
      subject: summarize('readHandIns + buildClassReport + writeClassReport, ÷ learners', report),
      baseline: summarize('reading the same grade files (readFileSync + JSON.parse), ÷ learners', reading),
    });
    print(figures.at(-1)!);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(REPORTS_DIR, { recursive: true });
  const out = join(REPORTS_DIR, 'bench.json');
  writeFileSync(out, `${JSON.stringify({ kind: 'CicdLabBench', measuredAt: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  console.log(`\n[bench] ${rel(out)}`);
}

if (process.argv[1]?.endsWith('test/bench/bench.ts')) await main();
