/**
 * Every lab solved, in catalog order, on one simulated platform — what the e2e workflow does on a
 * real one before `npm test` — saved as one snapshot. Built once per state of the sources it comes
 * from (its file name carries their hash), so that the tests that need it (all-labs, the docs'
 * samples) and npm run bench (test/bench/bench.ts) reuse one build instead of each making its own.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalog } from '../../src/catalog.js';
import { loadGraders } from '../../src/engine.js';
import type { Grader } from '../../src/engine.js';
import { REPORTS_DIR, ROOT } from '../../src/paths.js';
import { saveSnapshot } from '../../src/snapshot.js';
import { solved } from './lab-states.js';
import { SimPlatform } from './sim-platform.js';
import { buildOnce } from './build-once.js';

const SOURCES = ['labs', 'solutions', 'src', 'test/grade', 'test/lib', 'platform', 'versions.json'];

function sourcesHash(): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) if (name !== 'node_modules') add(join(path, name));
    } else hash.update(relative(ROOT, full)).update('\0').update(readFileSync(full)).update('\0');
  };
  SOURCES.forEach(add);
  return hash.digest('hex').slice(0, 16);
}

export async function allLabsSnapshot(): Promise<{ file: string; graders: Grader[]; built: boolean }> {
  const { labs, pending } = catalog();
  const graders = await loadGraders(labs.map((l) => l.id).filter((id) => !pending.includes(id)));
  const dir = join(REPORTS_DIR, 'kit');
  const file = join(dir, `all-labs-${sourcesHash()}.snapshot.json`);
  let built = false;
  mkdirSync(dir, { recursive: true });
  await buildOnce(`${file}.lock`, () => (existsSync(file) ? file : undefined), async () => {
    const platform = SimPlatform.create();
    try {
      for (const g of graders) await solved(g.lab, platform.cluster, platform.executor());
      const partial = `${file}.${process.pid}.tmp`;
      saveSnapshot(partial, platform.snapshot(graders));
      renameSync(partial, file);
      // Snapshots of older sources are of no further use.
      for (const old of readdirSync(dir)) if (/^all-labs-\w+\.snapshot\.json$/.test(old) && join(dir, old) !== file) rmSync(join(dir, old), { force: true });
      built = true;
      return file;
    } finally {
      await platform.dispose();
    }
  });
  return { file, graders, built };
}
