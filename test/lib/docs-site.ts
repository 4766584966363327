/**
 * The docs site as the sources build it now (`vitepress build docs` into docs/.vitepress/dist), built
 * once per run of the kit tests however many test files need it: docs.test.ts asserts that the build
 * succeeds (dead links and missing includes fail it) and reads the site in Chromium, and so does
 * docs-course.test.ts. They may run at the same time in different workers: the first to ask builds
 * (holding a lock folder), the others wait for it, and nobody builds the folder again while another
 * reads it. The run is named by the test command's global setup (test/lib/global-setup.ts); the
 * built folder carries that name, so the next run builds afresh.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOCS_DIR, ROOT } from '../../src/paths.js';

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
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

let building: Promise<string> | undefined;

/** Build the site unless this run built it already; resolves with the build's output, rejects with it on failure. */
export function builtSite(): Promise<string> {
  building ??= buildOnce().catch((error) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function buildOnce(): Promise<string> {
  const id = runId();
  for (const deadline = Date.now() + 10 * 60_000; ; ) {
    if (read(STAMP)?.startsWith(`${id}\n`)) return read(STAMP)!.slice(id.length + 1);
    try {
      mkdirSync(LOCK);
    } catch {
      // Another worker is building: wait for it (or take over a lock whose holder has gone).
      const holder = Number(read(join(LOCK, 'pid')));
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`the docs build of another test worker (${LOCK}) did not finish within 10 minutes`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      if (read(STAMP)?.startsWith(`${id}\n`)) continue;
      const { stdout, stderr } = await promisify(execFile)(VITEPRESS, ['build', 'docs'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).catch((error) => {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`vitepress build failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
      });
      const output = `${stdout}\n${stderr}`;
      writeFileSync(STAMP, `${id}\n${output}`);
      return output;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
