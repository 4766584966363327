/**
 * The instructor's stuck view: per lab, the learners who started it and have not passed it, most
 * stuck first (longest since started, then most hints); the check most of the room fails,
 * highlighted; and `class-report --watch <folder>`, whose page, open in Chromium, shows a hand-in
 * dropped into the folder without anyone reloading it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClassArgs } from '../../scripts/class-report.js';
import type { Progress } from '../../src/progress.js';
import { renderClassHtml } from '../../src/report/class-html.js';
import { buildClassReport, renderClassCsv } from '../../src/report/class-report.js';
import { folderSignature, watchClass, type Watching } from '../../src/report/class-watch.js';
import { readHandIns } from '../../src/report/hand-ins.js';
import { chromiumMissing, launch } from '../lib/browser.js';
import { minutes, writeHandIn, type Plan } from '../lib/synthetic-class.js';
import { tempDir } from '../lib/temp.js';

const now = new Date('2026-12-01T11:00:00Z');
const ago = (m: number) => new Date(now.getTime() - minutes(m)).toISOString();

/** A progress record: the lab started `m` minutes ago, `hints` hints per named check. */
function progress(lab: string, m: number | undefined, hints: Record<string, number> = {}): Progress {
  return {
    kind: 'CicdLabProgress',
    version: 1,
    labs: { [lab]: { ...(m !== undefined ? { startedAt: ago(m), startedBy: 'lab-start' as const } : {}), checks: Object.fromEntries(Object.entries(hints).map(([id, n]) => [id, { hintLevel: Math.min(n, 3), hintsShown: n }])) } },
  };
}

const S1_FAIL: Plan = { 's1-recreate': { strategy: 'fail', updated: 'fail' } };
const S1_HALF: Plan = { 's1-recreate': { strategy: 'pass', updated: 'fail' } };

describe('who is stuck, and where to stop and explain', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('stuck');
    const at = new Date(now.getTime() - minutes(1));
    // s1-recreate: five learners not passing it, one passing.
    writeHandIn(dir, { learner: 'ana', plan: S1_FAIL, gradedAt: at, progress: progress('s1-recreate', 10, { strategy: 1 }) });
    writeHandIn(dir, { learner: 'bo', plan: S1_HALF, gradedAt: at, progress: progress('s1-recreate', 40, { updated: 2 }) });
    writeHandIn(dir, { learner: 'chris', plan: S1_FAIL, gradedAt: at, progress: progress('s1-recreate', 40, { strategy: 3, updated: 2 }) });
    writeHandIn(dir, { learner: 'dana', plan: S1_FAIL, gradedAt: at }); // an older kit's hand-in: no start, no hints
    writeHandIn(dir, { learner: 'eun', plan: S1_HALF, gradedAt: at, progress: progress('s1-recreate', 25) });
    writeHandIn(dir, { learner: 'fay', plan: { 's1-recreate': 'pass', 's2-rolling': { strategy: 'fail', readiness: 'pass', updated: 'fail' } }, gradedAt: at, progress: progress('s2-rolling', 5, { strategy: 4 }) });
  });

  it('lists per lab the learners who started it and have not passed it: longest since started first, then most hints, then fewest passed; unknown starts last', async () => {
    const { handIns, skipped } = await readHandIns([dir], { lang: 'en' });
    const report = buildClassReport(handIns, skipped, { lang: 'en', now });
    const s1 = report.labs.find((l) => l.lab.id === 's1-recreate')!;
    expect(s1.stuck.map((s) => [s.name, s.startedAt?.toISOString(), s.hints, s.passed, s.open])).toEqual([
      ['chris', ago(40), 5, 0, ['strategy', 'updated']],
      ['bo', ago(40), 2, 1, ['updated']],
      ['eun', ago(25), 0, 1, ['updated']],
      ['ana', ago(10), 1, 0, ['strategy', 'updated']],
      ['dana', undefined, 0, 0, ['strategy', 'updated']],
    ]);
    // fay passed s1-recreate: not stuck there; she is stuck on s2-rolling, the only one who started it.
    expect(report.labs.find((l) => l.lab.id === 's2-rolling')!.stuck.map((s) => [s.name, s.hints, s.open])).toEqual([['fay', 4, ['strategy', 'updated']]]);
  });

  it('highlights the check most of the room fails, in its own banner, the matrix column and the stuck lists', async () => {
    const { handIns, skipped } = await readHandIns([dir], { lang: 'en' });
    const report = buildClassReport(handIns, skipped, { lang: 'en', now });
    // updated fails for ana, bo, chris, dana, eun (5 of 6); strategy for ana, chris, dana (3).
    expect(report.hotspot && [report.hotspot.lab.id, report.hotspot.check.id, report.hotspot.learners]).toEqual(['s1-recreate', 'updated', ['ana', 'bo', 'chris', 'dana', 'eun']]);
    const html = renderClassHtml(report);
    expect(html).toMatch(/<section id="hotspot" class="hot" data-check="s1-recreate\/updated">/);
    expect(html.indexOf('id="hotspot"')).toBeLessThan(html.indexOf('id="stuck"'));
    expect(html.indexOf('id="stuck"')).toBeLessThan(html.indexOf('id="room"'));
    expect(html).toContain('failing for 5 of 6 (83%)');
    expect(html.match(/<th class="check[^"]*\bhot\b[^"]*"[^>]*><span>([^<]+)</)?.[1]).toBe('updated');
    expect(html.match(/<td class="[pfsn][^"]*\bhot\b/g)?.length).toBe(6);
    expect(html.match(/<code class="hot">updated<\/code>/g)?.length).toBe(5);
    const rows = [...html.matchAll(/<table class="stuck" data-lab="s1-recreate">[\s\S]*?<\/table>/g)][0][0];
    expect([...rows.matchAll(/<tr data-name="([^"]+)"/g)].map((m) => m[1])).toEqual(['chris', 'bo', 'eun', 'ana', 'dana']);
  });

  it('puts when each lab started, when each check first passed and the hints shown into class.csv', async () => {
    const { handIns, skipped } = await readHandIns([dir], { lang: 'en' });
    const csv = renderClassCsv(buildClassReport(handIns, skipped, { lang: 'en', now }));
    const rows = csv.replace(/^\uFEFF/, '').trim().split('\r\n').map((r) => r.split(','));
    const head = rows[0];
    const at = (name: string) => head.indexOf(name);
    const row = (learner: string, check: string) => rows.find((r) => r[0] === learner && r[1] === 's1-recreate' && r[2] === check)!;
    expect(head.slice(-3)).toEqual(['started_at', 'first_passed_at', 'hints']);
    expect([row('chris', 'strategy')[at('started_at')], row('chris', 'strategy')[at('hints')]]).toEqual([ago(40), '3']);
    expect([row('dana', 'strategy')[at('started_at')], row('dana', 'strategy')[at('hints')]]).toEqual(['', '']);
  });

  it('says nobody is stuck when every lab started has been passed, and has no banner when nothing fails', async () => {
    const calm = tempDir('stuck-calm');
    writeHandIn(calm, { learner: 'ana', plan: { 's1-recreate': 'pass' }, gradedAt: now });
    const { handIns, skipped } = await readHandIns([calm], { lang: 'ko' });
    const report = buildClassReport(handIns, skipped, { lang: 'ko', now });
    expect(report.hotspot).toBeUndefined();
    const html = renderClassHtml(report);
    expect(html).not.toContain('id="hotspot"');
    expect(html).toContain('막힌 학습자가 없습니다.');
  });
});

describe('class-report --watch', () => {
  it('takes one folder and a port, and refuses other inputs, --refresh, or --port alone', () => {
    expect(parseClassArgs(['--watch', 'handins']).inputs).toEqual(['handins']);
    expect(parseClassArgs(['--watch', 'handins']).port).toBe(4180);
    expect(parseClassArgs(['--watch', 'handins', '--port', '0']).port).toBe(0);
    expect(() => parseClassArgs(['--watch', 'handins', 'more/'])).toThrow(/--watch takes the one folder/);
    expect(() => parseClassArgs(['--watch', 'handins', '--refresh', '30'])).toThrow(/do not add --refresh/);
    expect(() => parseClassArgs(['handins', '--port', '4181'])).toThrow(/--port goes with --watch/);
  });

  it('sees a new or changed hand-in in the folder listing, and nothing else', () => {
    const dir = tempDir('watch-signature');
    const empty = folderSignature(dir);
    writeFileSync(join(dir, 'notes.txt'), 'not a hand-in');
    expect(folderSignature(dir)).toBe(empty);
    const file = writeHandIn(dir, { learner: 'ana', plan: S1_FAIL, gradedAt: now });
    const one = folderSignature(dir);
    expect(one).not.toBe(empty);
    writeFileSync(file, `${JSON.stringify({ kind: 'CicdLabGrade', version: 1, gradedAt: now.toISOString(), labs: [] })}\n`);
    expect(folderSignature(dir)).not.toBe(one);
  });

  describe.skipIf(Boolean(chromiumMissing))(`in headless Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
    let browser: Awaited<ReturnType<typeof launch>>;
    let live: Watching;
    let dir: string;
    const lines: string[] = [];
    beforeAll(async () => {
      dir = tempDir('watch');
      writeHandIn(dir, { learner: 'ana', plan: S1_FAIL, gradedAt: now, progress: progress('s1-recreate', 12, { strategy: 1 }) });
      live = await watchClass({ folder: dir, out: tempDir('watch-out'), lang: 'en', port: 0, intervalMs: 200, log: (l) => lines.push(l) });
      browser = await launch();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await live?.close();
    });

    it('shows a hand-in dropped into the folder without a reload by hand, keeping the sort', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${live.url}#sort=-name`, { waitUntil: 'load' });
      expect(await page.locator('#matrix tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name))).toEqual(['ana']);
      expect(await page.locator('#live').isVisible()).toBe(true);

      writeHandIn(dir, { learner: 'bo', plan: S1_HALF, gradedAt: now, progress: progress('s1-recreate', 30, { updated: 3 }) });
      // The page reloads itself when the server says a new report is ready: wait for the row, with no page.reload().
      await page.locator('#matrix tbody tr[data-name="bo"]').waitFor({ timeout: 30_000 });
      expect(live.version()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#matrix tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name))).toEqual(['bo', 'ana']);
      expect(new URL(page.url()).hash).toBe('#sort=-name');
      // bo started longer ago: first among the stuck.
      expect(await page.locator('table.stuck[data-lab="s1-recreate"] tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name))).toEqual(['bo', 'ana']);
      expect(errors).toEqual([]);
      expect(lines.some((l) => /class report #2: 2 learners/.test(l))).toBe(true);
      await page.close();
    }, 60_000);

    it('serves only GET / and /events on this machine; the page may connect back to it and nowhere else', async () => {
      const res = await fetch(live.url);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain("connect-src 'self';");
      expect((await fetch(new URL('/nothing', live.url))).status).toBe(404);
      expect((await fetch(live.url, { method: 'POST' })).status).toBe(405);
      expect(new URL(live.url).hostname).toBe('127.0.0.1');
    });
  });
});
