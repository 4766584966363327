/**
 * The docs site as the sources build it now (`vitepress build docs` into docs/.vitepress/dist), built
 * once per run of the kit tests however many test files need it: docs.test.ts asserts that the build
 * succeeds (dead links and missing includes fail it) and reads the site in Chromium, and so does
 * docs-course.test.ts. They may run at the same time in different workers: the first to ask builds,
 * the others wait for it (test/lib/build-once.ts), and nobody builds the folder again while another
 * reads it. The run is named by the test command's global setup (test/lib/global-setup.ts); the
 * built folder carries that name, so the next run builds afresh.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOCS_DIR, ROOT } from '../../src/paths.js';
import { buildOnce } from './build-once.js';

export const DIST = join(DOCS_DIR, '.vitepress', 'dist');
const STAMP = join(DIST, '.kit-run');
const LOCK = join(DOCS_DIR, '.vitepress', '.kit-build-lock');
const VITEPRESS = join(ROOT, 'node_modules', '.bin', 'vitepress');

/** The environment variable the global setup names the run in (inherited by the test workers). */
export const RUN_VARIABLE = 'CICD_LAB_KIT_RUN';
const runId = () => process.env[RUN_VARIABLE] ?? `process-${process.pid}`;

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

let building: Promise<string> | undefined;

/** Build the site unless this run built it already; resolves with the build's output, rejects with it on failure. */
export function builtSite(): Promise<string> {
  const id = runId();
  const built = () => (read(STAMP)?.startsWith(`${id}\n`) ? read(STAMP)!.slice(id.length + 1) : undefined);
  building ??= buildOnce(LOCK, built, async () => {
    const { stdout, stderr } = await promisify(execFile)(VITEPRESS, ['build', 'docs'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).catch((error) => {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`vitepress build failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
    });
    const output = `${stdout}\n${stderr}`;
    writeFileSync(STAMP, `${id}\n${output}`);
    return output;
  }).catch((error) => {
    building = undefined;
    throw error;
  });
  return building;
}
