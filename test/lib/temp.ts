/**
 * Temporary folders of the kit tests. `tempDir('creds')` makes `cicd-lab-creds-XXXXXX` under the OS's
 * temp folder and removes it when the test file that made it ends (test/lib/after-each-file.ts), so a
 * test, a hook or a file's top level can all make one without cleaning up itself.
 *
 * During `npm run test:kit` the OS's temp folder is one of the run's own (test/lib/global-setup.ts);
 * a `cicd-lab-*` folder still in it at the end fails the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The names of the kit tests' temporary folders begin with this: a run must leave none. */
export const KIT_TEMP_PREFIX = 'cicd-lab-';

const made: string[] = [];

/** A new empty folder `cicd-lab-<what>-XXXXXX`, removed when the current test file ends. */
export function tempDir(what: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${KIT_TEMP_PREFIX}${what}-`));
  made.push(dir);
  return dir;
}

/** Remove every folder tempDir() made so far (at the end of each test file). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
