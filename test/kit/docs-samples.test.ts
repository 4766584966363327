/**
 * The lab pages end with a sample of a passing `npm test -- <lab>` (docs/samples/, included by
 * `<!-- @sample: <lab> -->`): it must be what the graders print for the solved lab, never a copy
 * that drifted. One command writes them all again: npm run docs:samples.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, docsFile } from '../../src/catalog.js';
import { ROOT, rel } from '../../src/paths.js';
import { SAMPLES_COMMAND, sampleFile } from '../../docs/.vitepress/plugins/lab-blocks.js';
import { allLabsSnapshot } from '../lib/all-labs.js';
import { cleanEnv, tsx } from '../lib/cli.js';
import { samples } from '../lib/grade-samples.js';
import { needsPackages } from '../lib/os-packages.js';
import { tempDir } from '../lib/temp.js';

const built = catalog().labs.filter((l) => !catalog().pending.includes(l.id));
// Lab s5's schema check reads a real PostgreSQL: without one its sample cannot be reproduced here.
const noPostgres = needsPackages('postgresql');
const reproducible = (lab: string) => !(noPostgres && lab === 's5-db-migration');

let expected: Awaited<ReturnType<typeof samples>>;
beforeAll(async () => {
  expected = await samples();
}, 180_000);

describe('the sample of a passing npm test on each lab page', () => {
  it(`is committed for every lab in both languages, and is what the graders print for the solved lab (else: ${SAMPLES_COMMAND})`, () => {
    const stale: string[] = [];
    for (const s of expected) {
      if (!reproducible(s.lab)) continue;
      const committed = existsSync(s.file) ? readFileSync(s.file, 'utf8') : undefined;
      if (committed !== s.text) stale.push(`${rel(s.file)} ${committed === undefined ? 'is missing' : 'differs from what the graders print'}`);
    }
    expect(stale, `regenerate with: ${SAMPLES_COMMAND}`).toEqual([]);
    expect(expected.length).toBe(built.length * 2);
  });

  it('passes every check in the sample (a sample of a failing run teaches the wrong thing)', () => {
    for (const s of expected.filter((x) => reproducible(x.lab))) {
      const lab = built.find((l) => l.id === s.lab)!;
      expect(s.text, s.file).toContain(s.lang === 'ko' ? `통과 ${lab.checks.length} · 실패 0 · 건너뜀 0` : `${lab.checks.length} passed · 0 failed · 0 skipped`);
    }
  });

  it('is shown on each lab page, in its "check your work" section, after the checks table', () => {
    for (const lab of built) {
      for (const lang of ['ko', 'en'] as const) {
        const page = readFileSync(join(ROOT, docsFile(lab, lang)), 'utf8');
        const check = page.slice(page.indexOf('{#check}'));
        expect(check.indexOf(`<!-- @sample: ${lab.id} -->`), docsFile(lab, lang)).toBeGreaterThan(check.indexOf(`<!-- @checks: ${lab.id} -->`));
        expect(page.indexOf('{#check}'), docsFile(lab, lang)).toBeGreaterThan(0);
      }
    }
  });
});

describe('npm test -- <lab> on the solved state prints exactly the committed sample', () => {
  const out = tempDir('samples');

  // One lab through the real command, in both languages: proves that the samples, rendered with the
  // reporter's functions, are what the learner's terminal shows.
  it.each(['en', 'ko'])('s3-bluegreen, LAB_LANG=%s', async (lang) => {
    const { file } = await allLabsSnapshot();
    const r = await tsx('scripts/grade.ts', ['s3-bluegreen'], cleanEnv({ LAB_SNAPSHOT: file, LAB_REPORTS_DIR: out, LAB_LANG: lang }));
    expect(r.code, r.stderr).toBe(0);
    // The reports went to a temporary folder here; the sample names the default one.
    const printed = r.stdout.replace(/^\n/, '').replace(/^(Reports|보고서): .*$/m, (line) => line.replace(/: .*/, ': reports/grade.json, reports/junit.xml'));
    expect(printed).toBe(readFileSync(sampleFile('s3-bluegreen', lang as 'ko' | 'en'), 'utf8'));
  });
});
