/**
 * The docs' samples of a passing `npm test -- <lab>` (docs/samples/<lang>/<lab>.txt, shown at the end
 * of each lab page by `<!-- @sample: <lab> -->`): what the graders print for the lab's solved state
 * on the simulated platform — every lab solved in course order, as the e2e workflow does live —
 * rendered by the reporter's own functions. Never pasted by hand: test/kit/docs-samples.test.ts
 * fails when a committed sample differs from this, and
 *
 *   npm run docs:samples
 *
 * writes them all again (after a grader's message or a lab's title changed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { catalog } from '../../src/catalog.js';
import { gradeLab } from '../../src/engine.js';
import type { Lang } from '../../src/i18n.js';
import { rel, REPORTS_DIR } from '../../src/paths.js';
import { renderReport } from '../../src/report/table.js';
import { reportsLine } from '../../src/report/grade-output.js';
import { loadSnapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { sampleFile } from '../../docs/.vitepress/plugins/lab-blocks.js';
import { allLabsSnapshot } from './all-labs.js';
import { needsPackages } from './os-packages.js';

/** What `npm test -- <lab>` prints after the run, without its leading blank line (no colour: not a terminal). */
export function sampleText(result: Parameters<typeof renderReport>[0][number], lang: Lang): string {
  const written = [join(REPORTS_DIR, 'grade.json'), join(REPORTS_DIR, 'junit.xml')].map((p) => rel(p));
  return `${renderReport([result], lang)}\n\n${reportsLine(written, lang)}\n`;
}

/** Every built lab's sample in both languages, from the solved simulated platform. */
export async function samples(): Promise<{ lab: string; lang: Lang; file: string; text: string }[]> {
  const { file, graders } = await allLabsSnapshot();
  const state = new LabState(loadSnapshot(file), 'snapshot');
  const { labs, pending } = catalog();
  const out = [];
  for (const lab of labs.filter((l) => !pending.includes(l.id))) {
    const grader = graders.find((g) => g.lab === lab.id)!;
    const result = gradeLab(grader, state);
    for (const lang of ['ko', 'en'] as const) out.push({ lab: lab.id, lang, file: sampleFile(lab.id, lang), text: sampleText(result, lang) });
  }
  return out;
}

if (process.argv[1]?.endsWith('test/lib/grade-samples.ts')) {
  // Lab s5's schema check reads a real PostgreSQL; without one it would be skipped and the sample wrong.
  const missing = needsPackages('postgresql');
  if (missing) {
    console.error(`cannot write the samples: ${missing}`);
    process.exit(1);
  }
  const previous = process.env.NO_COLOR;
  process.env.NO_COLOR = '1';
  for (const s of await samples()) {
    mkdirSync(dirname(s.file), { recursive: true });
    writeFileSync(s.file, s.text);
    console.log(`wrote ${rel(s.file)}`);
  }
  process.env.NO_COLOR = previous;
}
