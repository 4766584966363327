#!/usr/bin/env -S npx tsx
/**
 * npm run hint -- <lab> [<check>] [--context <name>] [--snapshot <file>]
 *
 * Escalating help for a lab: grades the lab (once, with the grading engine, as `npm test` does),
 * then for each failing check — or only the one named — shows the next level of help each time it
 * is asked: 1 a nudge (the check's hint), 2 a pointer (the docs section and the exact field or
 * command), 3 the part of the reference solution the lab's docs page shows (src/hints.ts). The
 * level stays at 3 when asked again, and goes back to the start when the check passes. Levels,
 * hint counts and first passes are kept in .lab/progress.json (src/progress.ts), which the
 * hand-in carries to the instructor.
 *
 * Options:
 *   --context <name>   act on this kube context instead of kind-cicd-lab (also LAB_CONTEXT)
 *   --snapshot <file>  grade a saved snapshot instead of the cluster (also LAB_SNAPSHOT)
 *
 * Environment:
 *   LAB_LANG           ko | en (else from LANG)       LAB_CONTEXT, LAB_SNAPSHOT as above
 *   LAB_DOCS_URL       docs site the pointers link to (else the docs file in the repository)
 *   LAB_PROGRESS_FILE  the progress record (default .lab/progress.json)
 *
 * Exit: 0 nothing failing (the lab or the named check passes) · 1 hints shown for failing checks ·
 * 2 bad input (an unknown lab or check: the message lists the valid ones), no cluster.
 */
import { getLab } from '../src/catalog.js';
import { collectUntilSettled, gradeAll, loadGraders } from '../src/engine.js';
import { LabError, runMain } from '../src/errors.js';
import { hintLines, nextLine } from '../src/hints.js';
import { detectLang, L, t } from '../src/i18n.js';
import { nextHint, progressPath, readProgress, recordGrades, writeProgress } from '../src/progress.js';
import { loadSnapshot } from '../src/snapshot.js';
import { LabState } from '../src/state.js';
import { printHelp, wantsHelp } from './lib/help.js';
import { parseOptions } from './lib/options.js';

const USAGE = L('사용법: npm run hint -- <실습> [<검사>] [--context <이름>] [--snapshot <파일>]', 'usage: npm run hint -- <lab> [<check>] [--context <name>] [--snapshot <file>]');

export async function main(argv = process.argv.slice(2), env = process.env, now = () => new Date()): Promise<number> {
  if (wantsHelp(argv)) return printHelp('hint', env);
  const lang = detectLang(env);
  const { values, positionals } = parseOptions(argv, { context: { type: 'string' }, snapshot: { type: 'string' } }, USAGE);
  const [labId, checkId, ...extra] = positionals;
  if (!labId || extra.length) throw new LabError(USAGE);
  const lab = getLab(labId);
  if (checkId !== undefined && !lab.checks.some((c) => c.id === checkId)) {
    const ids = lab.checks.map((c) => c.id).join(', ');
    throw new LabError(L(`${lab.id}에는 "${checkId}"라는 검사가 없습니다. 있는 검사: ${ids}`, `${lab.id} has no check "${checkId}". Its checks are: ${ids}`));
  }

  const graders = await loadGraders([lab.id]);
  const snapshotFile = values.snapshot ?? env.LAB_SNAPSHOT;
  const results = snapshotFile
    ? gradeAll(graders, new LabState(loadSnapshot(snapshotFile), 'snapshot'))
    : (await collectUntilSettled(graders, { context: values.context ?? env.LAB_CONTEXT, waitSeconds: 0 })).results;
  const result = results[0];

  const file = progressPath(env);
  const progress = recordGrades(readProgress(file), results, now());
  const failing = result.checks.filter((c) => c.status === 'fail' && (checkId === undefined || c.id === checkId));
  const out: string[] = [];
  if (!failing.length) {
    if (checkId === undefined) out.push(`✓ ${t(L(`${lab.id}: 실패한 검사가 없습니다. 힌트가 필요 없습니다.`, `${lab.id}: no check fails; no hint needed.`), lang)}`);
    else {
      const c = result.checks.find((r) => r.id === checkId)!;
      out.push(c.status === 'pass'
        ? `✓ [${c.id}] ${t(L('통과합니다. 이 검사의 힌트는 다시 처음부터입니다.', 'passes. Its hints start again from the first.'), lang)}`
        : `– [${c.id}] ${t(L(`건너뜀: ${t(c.reason, 'ko')}`, `skipped: ${t(c.reason, 'en')}`), lang)}`);
    }
  }
  for (const c of failing) {
    const level = nextHint(progress, lab.id, c.id);
    out.push('', `✗ [${c.id}] ${t(c.title, lang)}`);
    out.push(`  ${t(L('관찰', 'observed'), lang)}: ${t(c.observed, lang)}`);
    out.push(...hintLines(lab, c, level, lang, env).map((l) => `  ${l}`));
    out.push(`  ${nextLine(lab, c.id, level, lang)}`);
  }
  writeProgress(progress, file);
  console.log(out.join('\n').replace(/^\n/, ''));
  return failing.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/hint.ts')) {
  await runMain(() => main());
}
