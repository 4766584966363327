/**
 * The sample app's npm packages (what labs/app/package-lock.json pins: the PostgreSQL client
 * postgres) for the kit tests that run its real build steps: the simulated Jenkins builds run
 * `npm ci` in the node container, and test/kit/hello-app.test.ts builds the Dockerfile, whose RUN step
 * runs `npm ci --omit=dev`.
 *
 * On the platform those reach the npm registry. Here they get an npm cache instead, filled once by
 * the test command's global setup (test/lib/global-setup.ts) — from the registry the first time, as
 * `npm ci` of the kit itself does, and from the cache itself afterwards — and kept in
 * node_modules/.cache, so that a run reaches the registry at most once and a build never does: the
 * builds run npm with `offline` on, so a package missing from the cache fails the build loudly
 * instead of being fetched behind the test's back.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.js';

export const APP_DIR = join(ROOT, 'labs', 'app');
export const APP_NPM_CACHE = join(ROOT, 'node_modules', '.cache', 'cicd-lab', 'app-npm');
const STAMP = join(APP_NPM_CACHE, '.filled-from');

/** npm's settings for a build that installs labs/app's packages from the cache only. */
export const OFFLINE_NPM_ENV: Record<string, string> = {
  npm_config_cache: APP_NPM_CACHE,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  // Builds run side by side: no debug log files in the shared cache folder.
  npm_config_logs_max: '0',
};

const lockHash = () => createHash('sha256').update(readFileSync(join(APP_DIR, 'package-lock.json'))).digest('hex');

/** Fill the cache with every package of labs/app/package-lock.json, unless it already holds them. */
export function provisionAppPackages(): { note: string; failed?: string } {
  const hash = lockHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return { note: `labs/app's npm packages from ${APP_NPM_CACHE}` };
  mkdirSync(APP_NPM_CACHE, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'cicd-lab-app-packages-'));
  try {
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(APP_DIR, f), join(work, f));
    const r = spawnSync('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', APP_NPM_CACHE], { cwd: work, encoding: 'utf8' });
    if (r.status !== 0) {
      const why = (r.stderr || r.stdout || String(r.error)).trim().split('\n').filter((l) => !/complete log/.test(l)).join(' ');
      return { note: `labs/app's npm packages could not be fetched into ${APP_NPM_CACHE} (${why}): the tests that install them will fail`, failed: why };
    }
    writeFileSync(STAMP, hash);
    return { note: `labs/app's npm packages fetched into ${APP_NPM_CACHE}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
