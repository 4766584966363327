/**
 * Finding one's way through the course, and reading it as a Korean reader would:
 * - one course order everywhere (home table, sidebar, previous/next, each page's "next" section);
 * - each lab page opens with its time and prerequisites; "the notes" are explained and linked;
 * - text diagrams line up by display width and fit the page;
 * - in Chromium: the Korean web font with a real bold, keep-all line breaking, nothing hidden off the
 *   right edge at 1280 px, code lined up by display width, and Hangul spellings found by search.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labList } from '../../docs/.vitepress/plugins/checks-table.js';
import { labStart } from '../../docs/.vitepress/plugins/lab-blocks.js';
import { commentsIn } from '../../docs/.vitepress/plugins/lang-comments.js';
import { course, prevNext, sidebar } from '../../docs/.vitepress/sidebar.js';
import { catalog, docsFile, docsRoute, prerequisites } from '../../src/catalog.js';
import { DOCS_DIR, REPORTS_DIR, ROOT } from '../../src/paths.js';
import { displayWidth, graphemes } from '../../src/report/width.js';
import { chromiumMissing, launch, openHydrated, serveStatic } from '../lib/browser.js';
import { builtSite, DIST } from '../lib/docs-site.js';

const { labs, levels, pending } = catalog();

// The site as the sources build it now (built once per run for every test file that reads it).
beforeAll(() => builtSite(), 600_000);
const built = labs.filter((l) => !pending.includes(l.id));

function allPages(dir = DOCS_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith('.') || name === 'samples' || name === 'public') return [];
    if (statSync(path).isDirectory()) return allPages(path);
    return name.endsWith('.md') && name !== 'README.md' ? [relative(DOCS_DIR, path)] : [];
  });
}
const read = (page: string) => readFileSync(join(DOCS_DIR, page), 'utf8');
/** The first link of a page's "next" section. */
const nextLink = (page: string) => {
  const text = read(page);
  const at = text.indexOf('{#next}');
  if (at < 0) return undefined;
  return /\]\(([^)]+)\)/.exec(text.slice(at))?.[1];
};

describe('one course order everywhere, from labs/levels.yaml', () => {
  it('starts with Part 0, then each part of levels.yaml with its labs in catalog order', () => {
    for (const lang of ['ko', 'en'] as const) {
      const p = lang === 'ko' ? '/' : '/en/';
      const expected = [`${p}part-0/`, ...levels.flatMap((l) => [`${p}${l.id}/`, ...built.filter((lab) => lab.level === l.id).map((lab) => `${p}${docsRoute(lab)}`)])];
      expect(course(lang).map((s) => s.link)).toEqual(expected);
      // The sidebar shows the same pages in the same order.
      const links: string[] = [];
      const walk = (items: any[]) => items.forEach((i) => (i.link && links.push(i.link), i.items && walk(i.items)));
      walk(sidebar(lang));
      expect(links.filter((l) => expected.includes(l))).toEqual(expected);
    }
  });

  it('gives every course page its course neighbours as previous/next, named after their target, and nothing past the ends', () => {
    for (const lang of ['ko', 'en'] as const) {
      const stops = course(lang);
      stops.forEach((stop, i) => {
        const file = `${stop.link.replace(/^\//, '')}${stop.link.endsWith('/') ? 'index' : ''}.md`;
        expect(prevNext(file), file).toEqual({ prev: stops[i - 1] ?? false, next: stops[i + 1] ?? false });
      });
      // Part 0's next names the strategies overview, not "Overview".
      expect((prevNext(lang === 'ko' ? 'part-0/index.md' : 'en/part-0/index.md').next as { text: string }).text).toBe(levels[0].title[lang]);
    }
    // Pages outside the course are not a step of it; the last lab leads nowhere (not to a guide).
    expect(prevNext('instructor/index.md')).toEqual({ prev: false, next: false });
    expect(prevNext(docsFile(built.at(-1)!, 'ko').replace(/^docs\//, '')).next).toBe(false);
    // The strategies' last lab (s6) leads on to Level 1's overview, not the instructor guide.
    expect((prevNext('strategies/s5-db-migration.md').next as { link: string }).link).toBe('/strategies/s6-rollback');
    expect((prevNext('strategies/s6-rollback.md').next as { link: string }).link).toBe('/level-1/');
  });

  it('has each page\'s "next" section lead first to the course\'s next page', () => {
    const wrong: string[] = [];
    for (const lang of ['ko', 'en'] as const) {
      const stops = course(lang);
      stops.slice(0, -1).forEach((stop, i) => {
        const file = `${lang === 'en' ? '' : ''}${stop.link.replace(/^\//, '')}${stop.link.endsWith('/') ? 'index' : ''}.md`;
        const link = nextLink(file)?.replace(/#.*$/, '');
        // A lab may point past the next level's overview to that level's first lab.
        const ok = [stops[i + 1].link, ...(stops[i + 1].link.endsWith('/') && stops[i + 2] ? [stops[i + 2].link] : [])];
        if (link !== undefined && !ok.includes(link)) wrong.push(`${file}: ${link} (course: ${ok.join(' or ')})`);
      });
    }
    expect(wrong).toEqual([]);
  });
});

describe('the top of each lab page', () => {
  it('opens with its time estimate and prerequisites (from lab.yaml), right under the title', () => {
    for (const lab of built) {
      for (const lang of ['ko', 'en'] as const) {
        const lines = readFileSync(join(ROOT, docsFile(lab, lang)), 'utf8').split('\n');
        const h1 = lines.findIndex((l) => l.startsWith('# '));
        expect(lines.slice(h1 + 1).find((l) => l.trim() !== ''), docsFile(lab, lang)).toBe(`<!-- @lab-start: ${lab.id} -->`);
      }
    }
  });
});

describe('catching up', () => {
  it('every lab page with prerequisites gives the --catch-up commands (and no longer a list of solves)', () => {
    for (const lab of built.filter((l) => prerequisites(l).length)) {
      for (const lang of ['ko', 'en'] as const) {
        const block = labStart(lab, lang);
        expect(block, `${lab.id} ${lang}`).toContain(`npm run lab -- start ${lab.id} --catch-up --dry-run\nnpm run lab -- start ${lab.id} --catch-up\n`);
        expect(block).not.toContain('lab -- solve');
        for (const l of prerequisites(lab)) expect(block).toContain(`[${l.id}]`);
      }
    }
  });

  it('every level\'s index page says how to catch up: --catch-up and what each lab builds on, or that there is nothing to catch up on', () => {
    const { levels, pending } = catalog();
    for (const level of levels) {
      const page = read(`${level.id}/index.md`);
      expect(page, level.id).toContain(`<!-- @labs: ${level.id} -->`);
      expect(read(`en/${level.id}/index.md`)).toContain(`<!-- @labs: ${level.id} -->`);
      for (const lang of ['ko', 'en'] as const) {
        const text = labList(level.id, lang, pending);
        expect(text, `${level.id} ${lang}`).toContain('--catch-up');
        for (const lab of built.filter((l) => l.level === level.id && prerequisites(l).length)) {
          expect(text).toContain(`- ${lab.id}${lang === 'ko' ? ': ' : ' builds on '}${prerequisites(lab).map((l) => l.id).join(', ')}`);
        }
      }
    }
    expect(labList('level-3', 'en', [])).toContain('npm run lab -- start l3-helm --catch-up');
    expect(labList('strategies', 'en', [])).toContain('Nothing to catch up on');
  });
});

describe('"the notes"', () => {
  it('are explained on the home page, and every page that cites them links there', () => {
    expect(read('index.md')).toContain('{#notes}');
    expect(read('en/index.md')).toContain('{#notes}');
    const unlinked = allPages().filter((page) => {
      const text = read(page).replace(/```[\s\S]*?```/g, '');
      // 노트북 (a laptop) is not 노트 (the notes).
      const cites = page.startsWith('en/') ? /\bthe notes\b/i.test(text) : /메모(?!리)|노트(?!북)/.test(text);
      return cites && !['index.md', 'en/index.md'].includes(page) && !text.includes(page.startsWith('en/') ? '](/en/#notes)' : '](/#notes)');
    });
    expect(unlinked).toEqual([]);
  });
});

describe('comments in the code a learner edits', () => {
  it('are in the page\'s language: every comment of a starter file a lab page shows is tagged ko: or en:', () => {
    const untagged: string[] = [];
    for (const lab of built) {
      for (const lang of ['ko', 'en'] as const) {
        const page = readFileSync(join(ROOT, docsFile(lab, lang)), 'utf8');
        for (const m of page.matchAll(/^<<< @\/\.\.\/(labs\/[^#{\s]+)(?:#([\w-]+))?/gm)) {
          const text = readFileSync(join(ROOT, m[1]), 'utf8');
          for (const line of text.split('\n')) {
            const comment = /^\s*(#|\/\/|--)\s?(.*)$/.exec(line);
            if (!comment || line.trim() === '---' || /^(end)?region\b|^yaml-language-server|^!/.test(comment[2]) || comment[2].trim() === '') continue;
            if (!/^(ko|en):/.test(comment[2])) untagged.push(`${m[1]}: ${line.trim()}`);
          }
        }
      }
    }
    expect([...new Set(untagged)]).toEqual([]);
  });

  it('are shown in the page\'s language only (the other language\'s lines left out, tags removed)', () => {
    const text = '# en: v1 of the app\n# ko: v1 앱\nkind: Deployment\n  // en: x\n  // ko: 엑스';
    expect(commentsIn(text, 'ko')).toBe('# v1 앱\nkind: Deployment\n  // 엑스');
    expect(commentsIn(text, 'en')).toBe('# v1 of the app\nkind: Deployment\n  // x');
    const ko = readFileSync(join(DIST, 'strategies', 's2-rolling.html'), 'utf8');
    const en = readFileSync(join(DIST, 'en', 'strategies', 's2-rolling.html'), 'utf8');
    expect(ko).not.toContain('v1 of the app, four replicas');
    expect(ko).toContain('<span class="cl-w2">앱</span>');
    expect(en).toContain('v1 of the app, four replicas');
    expect(en).not.toMatch(/ko: |>앱</);
  });
});

/** The text blocks of a page (```text), as lines. */
const textBlocks = (page: string) => [...read(page).matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\n$/, '').split('\n'));
const VERTICAL = '│┤├└┌┘┐┬┴┼▲▼';

describe('text diagrams', () => {
  it('fit the page at 1280 px: no line wider than 66 columns (Hangul counts two)', () => {
    const wide = allPages().flatMap((page) => textBlocks(page).flat().filter((line) => displayWidth(line) > 66).map((line) => `${page}: ${displayWidth(line)} columns: ${line}`));
    expect(wide).toEqual([]);
  });

  it('line up by display width: every vertical stroke continues one in the line above or below', () => {
    const broken: string[] = [];
    for (const page of allPages()) {
      for (const lines of textBlocks(page)) {
        const columns = lines.map((line) => {
          const at = new Map<number, string>();
          let col = 0;
          for (const ch of graphemes(line)) {
            if (VERTICAL.includes(ch)) at.set(col, ch);
            col += displayWidth(ch);
          }
          return at;
        });
        columns.forEach((at, i) => {
          for (const [col, ch] of at) {
            const neighbour = columns[i - 1]?.has(col) || columns[i + 1]?.has(col);
            if (!neighbour) broken.push(`${page}: "${ch}" at column ${col} of "${lines[i]}"`);
          }
        });
      }
    }
    expect(broken).toEqual([]);
  });
});

describe.skipIf(Boolean(chromiumMissing))(`the docs in Chromium, as a Korean reader sees them${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launch>>;
  const shots = join(REPORTS_DIR, 'screenshots');

  beforeAll(async () => {
    site = await serveStatic(DIST);
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  async function open(path: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openHydrated(page, `${site.url}${path}`);
    await page.evaluate(() => document.fonts.ready);
    return { page, context };
  }

  /** Elements inside the page that hide content off their right edge (or the page itself scrolling sideways). */
  const overflowing = () =>
    Array.from(document.querySelectorAll('.VPContent pre, .VPContent table, .VPContent div[class*="language-"], .VPContent p, .VPContent li'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').trim().slice(0, 80)}`)
      .concat(document.documentElement.scrollWidth > window.innerWidth ? [`the page is ${document.documentElement.scrollWidth}px wide`] : []);

  const coursePages = [...course('ko'), ...course('en')].map((s) => s.link);
  const otherPages = ['/', '/en/', '/troubleshooting/', '/en/troubleshooting/', '/instructor/', '/en/instructor/', '/reference/commands', '/en/reference/commands', '/reference/checks', '/en/reference/checks'];

  it('hides nothing off the right edge at 1280 px on any page of the course, ko and en', async () => {
    const found: string[] = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    for (const path of [...coursePages, ...otherPages]) {
      await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
      for (const what of await page.evaluate(overflowing)) found.push(`${path}: ${what}`);
    }
    await context.close();
    expect(found).toEqual([]);
  }, 240_000);

  it('serves its own Korean font with a real bold, and sets Korean text keep-all, hero and footers included', async () => {
    const { page, context } = await open('/troubleshooting/');
    const faces = await page.evaluate(() => Array.from(document.fonts as unknown as Iterable<FontFace>).filter((f) => f.family.replace(/"/g, '') === 'Noto Sans KR' && f.status === 'loaded').map((f) => f.weight));
    expect(faces).toContain('400');
    expect(faces).toContain('700');
    // Bold Hangul is drawn by the bold face (not synthesized): it puts clearly more ink on the page.
    const ink = await page.evaluate(async () => {
      const draw = async (weight: string) => {
        await document.fonts.load(`${weight} 48px "Noto Sans KR"`, '증상원인해결');
        const canvas = document.createElement('canvas');
        canvas.width = 400;
        canvas.height = 80;
        const ctx = canvas.getContext('2d')!;
        ctx.font = `${weight} 48px "Noto Sans KR"`;
        ctx.fillText('증상 원인 해결', 0, 60);
        const data = ctx.getImageData(0, 0, 400, 80).data;
        let dark = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 128) dark++;
        return dark;
      };
      return { regular: await draw('400'), bold: await draw('700') };
    });
    expect(ink.bold).toBeGreaterThan(ink.regular * 1.2);
    // …and the strong text of the page uses it.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.vp-doc strong')!).fontFamily)).toContain('Noto Sans KR');
    await context.close();
    const part0 = await open('/part-0/');
    const breaks = await part0.page.evaluate(() => ['.vp-doc p', '.VPDocFooter', '.VPSidebar', '.VPNav'].map((s) => [s, getComputedStyle(document.querySelector(s)!).wordBreak]));
    expect(breaks).toEqual([['.vp-doc p', 'keep-all'], ['.VPDocFooter', 'keep-all'], ['.VPSidebar', 'keep-all'], ['.VPNav', 'keep-all']]);
    await part0.context.close();
    const home = await open('/');
    expect(await home.page.evaluate(() => getComputedStyle(document.querySelector('.VPHero .tagline')!).wordBreak)).toBe('keep-all');
    await home.context.close();
  });

  it('lines up a Korean grader table in a code block by display width (each row as wide as the border)', async () => {
    const { page, context } = await open('/strategies/s3-bluegreen');
    const rows = await page.evaluate(() => {
      const pre = Array.from(document.querySelectorAll('.vp-doc pre')).find((p) => p.textContent?.includes('│ 실습'))!;
      return Array.from(pre.querySelectorAll('.line')).filter((l) => /^[┌│├└]/.test(l.textContent ?? '')).map((l) => {
        const range = document.createRange();
        range.selectNodeContents(l);
        return Math.round(range.getBoundingClientRect().width * 10) / 10;
      });
    });
    expect(rows.length).toBeGreaterThan(4);
    // Equal to the pixel (sub-pixel text positioning aside).
    expect(Math.max(...rows) - Math.min(...rows), `row widths ${rows.join(', ')}`).toBeLessThan(1);
    await context.close();
  });

  // The pages the issue names, and the ones that changed most: looked at by a person (reports/screenshots/).
  const SHOTS = ['/', '/part-0/', '/strategies/s1-recreate', '/strategies/s3-bluegreen', '/strategies/s5-db-migration', '/level-2/l2-pipeline', '/level-3/l3-kustomize', '/level-4/l4-argocd', '/level-4/l4-rollouts-bluegreen', '/level-4/l4-rollouts-canary', '/troubleshooting/'];
  // One browser context for all of them, as a reader going from page to page: the site's scripts,
  // styles and fonts load once (a fresh context per page cost a second each, for nothing checked here).
  let shotContext: Awaited<ReturnType<typeof browser.newContext>> | undefined;
  afterAll(async () => shotContext?.close());
  it.each(SHOTS.flatMap((p) => [p, `/en${p}`]))('screenshots %s at 1280 px (reports/screenshots/course-*.png)', async (path) => {
    shotContext ??= await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await shotContext.newPage();
    await openHydrated(page, `${site.url}${path}`);
    await page.evaluate(() => document.fonts.ready);
    const name = `course-${path.replace(/^\/|\/$/g, '').replace(/\//g, '-') || 'home'}`.replace(/^course-$/, 'course-ko-home');
    await page.screenshot({ path: join(shots, `${path.startsWith('/en') ? name : `${name}-ko`}.png`), fullPage: true });
    expect(await page.locator('h1').count()).toBeGreaterThan(0);
    await page.close();
  });

  /** The local search's result links for a query, once the expected page is among them (or after 30 s: the search index loads on first use). */
  async function search(query: string, expected: RegExp) {
    const { page, context } = await open('/');
    await page.locator('.VPNavBarSearch button').click();
    await page.locator('.VPLocalSearchBox input').fill(query);
    const hrefs = () => page.locator('.VPLocalSearchBox .results a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    await expect.poll(async () => (await hrefs()).some((h) => expected.test(h)), { timeout: 30_000 }).toBe(true).catch(() => undefined);
    const found = await hrefs();
    await context.close();
    return found;
  }

  it.each([
    // The right page: one that teaches the thing (the strategy's section or lab, the level about the tool).
    ['카나리', /^\/(strategies\/(#canary|s4-canary)|level-4\/l4-rollouts-canary)/],
    ['카나리아', /^\/(strategies\/(#canary|s4-canary)|level-4\/l4-rollouts-canary)/],
    ['블루그린', /^\/(strategies\/(#bluegreen|s3-bluegreen)|level-4\/l4-rollouts-bluegreen)/],
    ['블루/그린', /^\/(strategies\/(#bluegreen|s3-bluegreen)|level-4\/l4-rollouts-bluegreen)/],
    ['롤링 업데이트', /^\/strategies\/(#rolling|s2-rolling)/],
    ['리크리에이트', /^\/strategies\/(#recreate|s1-recreate)/],
    ['젠킨스', /^\/(level-1|level-2)\//],
    ['아르고', /^\/level-4\//],
    ['롤백', /^\/strategies\/s6-rollback/],
    ['롤백 훈련', /^\/strategies\/s6-rollback/],
    ['분석 중단', /^\/level-4\/l4-rollouts-analysis/],
  ])('Korean search: "%s" finds the right page first', async (query, target) => {
    const found = await search(query, target);
    expect(found[0], `results: ${found.slice(0, 5).join(', ')}`).toMatch(target);
  });
});
