/**
 * `npm run hint`: each ask shows the next level of help for a failing check (nudge → pointer →
 * the solution's region), stays at the last level, starts again once the check passes, and names
 * the valid labs or checks when given an unknown one. Runs the command in this process on
 * snapshots of the real s1-recreate starter and solution, with a temporary progress record.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s1-recreate.test.js';
import { main } from '../../scripts/hint.js';
import { catalog, getLab, pageSolutionAnchor, solutionRef } from '../../src/catalog.js';
import { ROOT } from '../../src/paths.js';
import { loadGrader } from '../../src/engine.js';
import { LabError } from '../../src/errors.js';
import { solutionText } from '../../src/hints.js';
import { sectionBlocks } from '../../src/page-sections.js';
import { readProgress } from '../../src/progress.js';
import { regionText } from '../../src/regions.js';
import { saveSnapshot } from '../../src/snapshot.js';
import { captureLog } from '../lib/capture.js';
import { snapshotOf, solved, started } from '../lib/lab-states.js';
import { tempDir } from '../lib/temp.js';

const lab = getLab('s1-recreate');
const spec = (id: string) => lab.checks.find((c) => c.id === id)!;

let starter: string;
let solution: string;
beforeAll(async () => {
  const dir = tempDir('hint-snapshots');
  starter = join(dir, 'starter.json');
  solution = join(dir, 'solved.json');
  saveSnapshot(starter, snapshotOf(await started('s1-recreate'), [grader]));
  saveSnapshot(solution, snapshotOf(await solved('s1-recreate'), [grader]));
});

/** One `npm run hint` in this process: its exit code and what it printed. */
async function hint(args: string[], progressFile: string, lang = 'en', at = new Date('2026-12-01T10:00:00Z')) {
  const log = captureLog();
  try {
    const code = await main(args, { LAB_LANG: lang, LAB_PROGRESS_FILE: progressFile }, () => at);
    return { code, out: log.stop() };
  } catch (error) {
    log.stop();
    throw error;
  }
}

describe('npm run hint', () => {
  it('shows the nudge, then the pointer, then the solution region, then the solution again', async () => {
    const progress = join(tempDir('hint'), 'progress.json');
    const first = await hint(['s1-recreate', 'strategy', '--snapshot', starter], progress);
    expect(first.code).toBe(1);
    expect(first.out).toContain('Hint 1/3');
    expect(first.out).toContain(spec('strategy').hint.en);
    expect(first.out).not.toContain('[updated]');
    expect(first.out).toContain('Next level: npm run hint -- s1-recreate strategy');

    const second = await hint(['s1-recreate', 'strategy', '--snapshot', starter], progress);
    expect(second.out).toContain('Hint 2/3');
    expect(second.out).toContain(spec('strategy').pointer!.en);
    expect(second.out).toContain('docs/en/strategies/s1-recreate.md#strategy');

    const region = solutionText(spec('strategy')).text.trim();
    for (let i = 0; i < 2; i++) {
      const third = await hint(['s1-recreate', 'strategy', '--snapshot', starter], progress);
      expect(third.out).toContain('Hint 3/3');
      expect(third.out).toContain('solutions/s1-recreate/strategy.yaml#strategy');
      for (const line of region.split('\n')) expect(third.out).toContain(`  ${line}`);
      expect(third.out).not.toMatch(/# (end)?region/);
      expect(third.out).toContain('That is the last level');
    }
    expect(readProgress(progress).labs['s1-recreate'].checks.strategy).toEqual({ hintLevel: 3, hintsShown: 4 });
  });

  it('for a check solved by commands, the last level is its page section in the learner\'s language (s6-rollback undone)', async () => {
    const s6 = await loadGrader('s6-rollback');
    const file = join(tempDir('hint-s6'), 'starter.json');
    saveSnapshot(file, snapshotOf(await started('s6-rollback'), [s6]));
    for (const lang of ['en', 'ko'] as const) {
      const progress = join(tempDir('hint'), 'progress.json');
      let last = { code: 0, out: '' };
      for (let i = 0; i < 3; i++) last = await hint(['s6-rollback', 'undone', '--snapshot', file], progress, lang);
      expect(last.code).toBe(1);
      expect(last.out).toContain('3/3');
      expect(last.out).toContain(`docs/${lang === 'en' ? 'en/' : ''}strategies/s6-rollback.md#undo`);
      expect(last.out).toContain('  kubectl --context kind-cicd-lab -n s6-rollback rollout undo \\');
    }
  });

  it('without a check, gives every failing check its own next level', async () => {
    const progress = join(tempDir('hint'), 'progress.json');
    await hint(['s1-recreate', 'strategy', '--snapshot', starter], progress);
    const both = await hint(['s1-recreate', '--snapshot', starter], progress, 'ko');
    expect(both.out).toMatch(/\[strategy\][\s\S]*힌트 2\/3[\s\S]*\[updated\][\s\S]*힌트 1\/3/);
    expect(both.out).toContain(spec('updated').hint.ko);
    expect(both.out).toContain(spec('strategy').pointer!.ko);
  });

  it('starts a check\'s hints again once it passes, and records when it first passed', async () => {
    const progress = join(tempDir('hint'), 'progress.json');
    for (let i = 0; i < 3; i++) await hint(['s1-recreate', 'strategy', '--snapshot', starter], progress);
    const passed = await hint(['s1-recreate', 'strategy', '--snapshot', solution], progress, 'en', new Date('2026-12-01T10:20:00Z'));
    expect(passed.code).toBe(0);
    expect(passed.out).toContain('[strategy] passes');
    const record = readProgress(progress).labs['s1-recreate'];
    expect(record.checks.strategy).toEqual({ hintLevel: 0, hintsShown: 3, firstPassedAt: '2026-12-01T10:20:00.000Z' });
    expect(record.startedAt).toBe('2026-12-01T10:00:00.000Z');
    expect(record.startedBy).toBe('first-graded');

    const again = await hint(['s1-recreate', 'strategy', '--snapshot', starter], progress, 'en', new Date('2026-12-01T10:30:00Z'));
    expect(again.out).toContain('Hint 1/3');
    // The first pass stays the first.
    expect(readProgress(progress).labs['s1-recreate'].checks.strategy).toEqual({ hintLevel: 1, hintsShown: 4, firstPassedAt: '2026-12-01T10:20:00.000Z' });
  });

  it('says so when the lab passes, and shows no hint', async () => {
    const progress = join(tempDir('hint'), 'progress.json');
    const r = await hint(['s1-recreate', '--snapshot', solution], progress);
    expect(r.code).toBe(0);
    expect(r.out).toBe('✓ s1-recreate: no check fails; no hint needed.');
    expect(Object.values(readProgress(progress).labs['s1-recreate'].checks).every((c) => c.hintsShown === 0 && c.firstPassedAt)).toBe(true);
  });

  it('names the valid labs for an unknown lab and the valid checks for an unknown check, and records nothing', async () => {
    const progress = join(tempDir('hint'), 'progress.json');
    await expect(hint(['s9-nothing'], progress)).rejects.toThrow(/There is no lab "s9-nothing"\. The labs are: s1-recreate, s2-rolling, .*l4-rollouts-canary/);
    const error = await hint(['s1-recreate', 'strateg'], progress, 'ko').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).text).toEqual({
      ko: 's1-recreate에는 "strateg"라는 검사가 없습니다. 있는 검사: strategy, updated',
      en: 's1-recreate has no check "strateg". Its checks are: strategy, updated',
    });
    expect(existsSync(progress)).toBe(false);
  });
});

describe('solution regions, read by the rules VitePress uses for <<< includes', () => {
  it('reads every comment style the solutions use, leaving out the markers and the common indentation', () => {
    expect(regionText('a: 1\n  # region x\n  b: 2\n  # region inner\n    c: 3\n  # endregion inner\n  # endregion x\n', 'x')).toBe('b: 2\n  c: 3');
    expect(regionText('pipeline {\n  // region build\n  stage("Build") {}\n  // endregion build\n}\n', 'build')).toBe('stage("Build") {}');
    expect(regionText('<project>\n  <!-- region scm -->\n  <scm/>\n  <!-- endregion scm -->\n</project>\n', 'scm')).toBe('<scm/>');
    expect(regionText('/* #region change */\nALTER TABLE orders;\n/* #endregion change */\n', 'change')).toBe('ALTER TABLE orders;');
    expect(regionText('#region x\ny\n#endregion x\n', 'x')).toBe('y');
    // A start marker without its end is no region (VitePress would show the whole file; the docs build refuses it).
    expect(regionText('# region x\ny\n', 'x')).toBeUndefined();
    expect(regionText('# region other\ny\n# endregion other\n', 'x')).toBeUndefined();
  });

  it('reads the real solution files as they are written', () => {
    expect(solutionText({ solution: 'solutions/l2-pipeline/Jenkinsfile#deploy' }).text).toMatch(/^stage\('Deploy'\)/);
    expect(solutionText({ solution: 'solutions/l1-freestyle/config.xml#steps' }).text).toContain('<hudson.tasks.Shell>');
    expect(solutionText({ solution: 'solutions/s5-db-migration/migration/migrate-v2.sql#change' }).text).toContain('status');
    expect(solutionText({ solution: 'solutions/s3-bluegreen/web-green.yaml#green' }).text).toMatch(/^template:\n[\s\S]*version: green[\s\S]*hello-app:v2$/);
  });

  it('reads a check solved by commands from its section of the lab page: shell blocks and solution includes, subsections in, the next section out', () => {
    const page = [
      '## 1. Before {#before}', '```sh', 'echo before', '```',
      '## 2. Guard {#guard}', 'Apply it:', '<<< @/../solutions/s6-rollback/web.yaml#deadline{yaml}', '<<< @/../labs/s6-rollback/web.yaml{yaml}',
      '```sh', 'kubectl apply -f solutions/s6-rollback/web.yaml', '```', '```text', 'deployment.apps/web configured', '```',
      '### Why {#why}', '```bash', 'kubectl get deploy web', '```',
      '## 3. Next {#next}', '```sh', 'echo next', '```',
    ].join('\n');
    const blocks = sectionBlocks(page, 'guard', ROOT)!;
    expect(blocks.map((b) => b.from)).toEqual(['solutions/s6-rollback/web.yaml#deadline', 'sh', 'sh']);
    expect(blocks[0].text).toContain('progressDeadlineSeconds: 60');
    expect(blocks.slice(1).map((b) => b.text)).toEqual(['kubectl apply -f solutions/s6-rollback/web.yaml', 'kubectl get deploy web']);
    expect(sectionBlocks(page, 'why', ROOT)!.map((b) => b.text)).toEqual(['kubectl get deploy web']);
    expect(sectionBlocks(page, 'missing', ROOT)).toBeUndefined();

    const lab = getLab('s6-rollback');
    for (const lang of ['ko', 'en'] as const) {
      const undo = solutionText({ solution: 'page#undo' }, ROOT, { lab, lang }).text;
      expect(undo).toContain('rollout undo');
      expect(undo).not.toContain('--patch-file labs/s6-rollback/release-v3.yaml');
      expect(solutionText({ solution: 'page#guard' }, ROOT, { lab, lang }).text).toMatch(/# solutions\/s6-rollback\/web.yaml#strategy[\s\S]*maxUnavailable: 0[\s\S]*readinessProbe[\s\S]*progressDeadlineSeconds/);
      // A section without a shell block is no command solution.
      expect(() => solutionText({ solution: 'page#not-undo' }, ROOT, { lab, lang })).toThrow(/no shell block|셸 블록이 없습니다/);
    }
    expect(() => solutionText({ solution: 'page#undo' })).toThrow(/read from the lab's page|실습 페이지에서 읽습니다/);
  });
});

describe('the same text as VitePress shows for <<< @/…#region', () => {
  /** What VitePress's own renderer puts in the code block of `<<< @/…#<region>` for a file (a path from the repository root, or absolute), as text. */
  async function vitepressShows(file: string, region: string): Promise<string> {
    const fromDocs = relative(join(ROOT, 'docs'), isAbsolute(file) ? file : join(ROOT, file));
    const { createMarkdownRenderer } = await import('vitepress');
    const md = await createMarkdownRenderer(join(ROOT, 'docs'), {}, '/');
    const html = md.render(`<<< @/${fromDocs}#${region}{txt}\n`, { path: join(ROOT, 'docs', 'page.md'), relativePath: 'page.md', cleanUrls: false });
    const code = /<code>([\s\S]*?)<\/code>/.exec(html)![1];
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    return code
      .replace(/<[^>]+>/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (named[e] ?? m)));
  }

  it('reads every style of marker as VitePress does, including the ones it does not take (a YAML `# #region x` is not a region to it)', async () => {
    const dir = tempDir('regions');
    const samples: [string, string, string][] = [
      ['a.yaml', 'top: 1\n# region x\nspec:\n  # region inner\n  a: 1\n  # endregion inner\n# endregion x\n', 'x'],
      ['b.yaml', 'top: 1\n#region x\nb: 2\n#endregion x\n', 'x'],
      ['c.yaml', 'top: 1\n# #region x\nc: 3\n# #endregion x\n', 'x'],
      ['d.groovy', 'pipeline {\n    // #region x\n    stage("A") {}\n    // #endregion x\n}\n', 'x'],
      ['e.xml', '<a>\n  <!-- #region x -->\n  <b/>\n  <!-- #endregion x -->\n</a>\n', 'x'],
      ['f.sql', '/* #region x */\nSELECT 1;\n/* #endregion x */\n', 'x'],
      ['g.yaml', 'one: 1\n# region other\ntwo: 2\n# endregion other\n', 'x'],
    ];
    for (const [name, text, region] of samples) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const shown = await vitepressShows(file, region);
      // VitePress shows the whole file when it finds no region (the docs build refuses that: strict-snippets).
      expect(regionText(text, region) ?? text.replace(/\n$/, ''), name).toBe(shown.replace(/\n$/, ''));
    }
    expect(regionText('top: 1\n# #region x\nc: 3\n# #endregion x\n', 'x')).toBeUndefined();
  }, 60_000);

  it('for the solution region of every check in the catalog', async () => {
    for (const lab of catalog().labs) {
      for (const check of lab.checks) {
        if (!check.solution || pageSolutionAnchor(check.solution) !== undefined) continue;
        const { file, region } = solutionRef(check.solution);
        expect(solutionText(check).text, check.solution).toBe(await vitepressShows(file, region));
      }
    }
  }, 120_000);
});
