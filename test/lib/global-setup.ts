/**
 * Runs once before the kit tests (vitest.kit.config.ts `globalSetup`), so that `npm ci && npm run
 * test:kit` works on a fresh machine:
 *
 * - provisions kubectl and helm from the npm package already in devDependencies (test/lib/provision.ts);
 * - fills the npm cache the sample app's builds install its packages from (test/lib/app-packages.ts);
 * - says in one line which OS packages are missing — the tests that need them skip — and the one
 *   command that installs them all (test/lib/os-packages.ts). Under CI=true a missing package is a
 *   failure instead: CI must run everything;
 * - gives the run a temporary folder of its own (TMPDIR, which the test workers and every program they
 *   start inherit), so that what the tests leave there is theirs, whoever else runs tests on the
 *   machine: at the end, a `cicd-lab-*` folder a test left behind fails the run (test/lib/temp.ts
 *   makes folders that go by themselves); then the whole folder goes.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALL_ALL, missingPackages, type OsPackage } from './os-packages.js';
import { provisionTools } from './provision.js';
import { KIT_TEMP_PREFIX } from './temp.js';
import { provisionAppPackages } from './app-packages.js';
import { RUN_VARIABLE } from './docs-site.js';

export function ciRequiresEverything(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.CI ?? '');
}

/** The one line about missing OS packages (undefined when none is missing); throws under CI=true. */
export function missingPackagesLine(missing: readonly OsPackage[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!missing.length) return undefined;
  const names = missing.map((p) => p.name).join(', ');
  if (ciRequiresEverything(env)) {
    throw new Error(`CI=true and the OS packages ${names} are missing, so tests would skip: install them (${INSTALL_ALL}), or unset CI to let them skip`);
  }
  return `[kit] skipping the tests that need ${names} (not installed); install them all with: ${INSTALL_ALL}`;
}

/** The `cicd-lab-*` entries left in a run's temp folder, as an error to fail the run with (undefined when none). */
export function leftBehind(runTmp: string): Error | undefined {
  const left = readdirSync(runTmp).filter((name) => name.startsWith(KIT_TEMP_PREFIX)).sort();
  if (!left.length) return undefined;
  return new Error(`kit tests left temporary folders behind (${left.length}; make them with tempDir() of test/lib/temp.ts, or remove them): ${left.join(', ')}`);
}

export default function setup(): () => void {
  // Names this run, for what is built once per run and shared by the test workers (test/lib/docs-site.ts).
  process.env[RUN_VARIABLE] ??= `${Date.now().toString(36)}-${process.pid}`;
  console.log(`[kit] ${provisionTools().note}`);
  const packages = provisionAppPackages();
  if (packages.failed && ciRequiresEverything()) throw new Error(packages.note);
  console.log(`[kit] ${packages.note}`);
  const line = missingPackagesLine(missingPackages());
  if (line) console.log(line);
  // Each project of vitest.kit.config.ts runs this; the first one gives the run its folder.
  if (process.env.CICD_LAB_KIT_TMPDIR) return () => {};
  const runTmp = mkdtempSync(join(tmpdir(), 'cicd-lab-kit-run-'));
  // As /tmp is: the programs some tests run as another user (PostgreSQL's, the rootless build's) use it too.
  chmodSync(runTmp, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = process.env.CICD_LAB_KIT_TMPDIR = runTmp;
  // Live gradings record the learner's progress (src/progress.ts): into the run's folder, never the
  // repository's .lab/. Tests of the progress itself name a file of their own.
  const progressBefore = process.env.LAB_PROGRESS_FILE;
  process.env.LAB_PROGRESS_FILE = join(runTmp, 'progress.json');
  return () => {
    if (progressBefore === undefined) delete process.env.LAB_PROGRESS_FILE;
    else process.env.LAB_PROGRESS_FILE = progressBefore;
    const error = leftBehind(runTmp);
    rmSync(runTmp, { recursive: true, force: true });
    delete process.env.CICD_LAB_KIT_TMPDIR;
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    if (error) {
      // Vitest reports an error of a global teardown without failing the run: fail it.
      console.error(`\n[kit] ${error.message}\n`);
      process.exitCode = 1;
    }
  };
}
