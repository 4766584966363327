import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { koreanProcessTerm } from '../../docs/.vitepress/search-ko.js';
import { readVersionGroups, versionGroups } from '../../docs/.vitepress/versions.js';
import { DOCS_DIR, REPORTS_DIR, ROOT } from '../../src/paths.js';
import { chromiumMissing, launch, openHydrated, serveStatic } from '../lib/browser.js';
import { builtSite, DIST } from '../lib/docs-site.js';

const VITEPRESS = join(ROOT, 'node_modules', '.bin', 'vitepress');

function pages(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return dir === DOCS_DIR && name === 'en' ? [] : pages(path, base);
    return name.endsWith('.md') && name !== 'README.md' ? [relative(base, path)] : [];
  });
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'assets' ? [] : htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

/** The text a reader sees in a built page's main content: no code, no tags. */
function contentText(file: string): string {
  const html = readFileSync(file, 'utf8');
  const main = html.match(/<main[\s\S]*<\/main>/)?.[0] ?? html;
  return main
    .replace(/<(pre|code|script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
}

const anchors = (file: string) => [...readFileSync(file, 'utf8').matchAll(/\{#([\w-]+)\}/g)].map((m) => m[1]);

describe('the docs site', () => {
  it('has every page in both Korean and English, with the same section anchors', () => {
    const ko = pages(DOCS_DIR).sort();
    const en = pages(join(DOCS_DIR, 'en')).sort();
    expect(en).toEqual(ko);
    for (const page of ko) expect(anchors(join(DOCS_DIR, 'en', page)), page).toEqual(anchors(join(DOCS_DIR, page)));
  });

  it('links every nav and sidebar entry to a page that exists, in both languages', async () => {
    const { nav, sidebar } = await import('../../docs/.vitepress/sidebar.js');
    const links: string[] = [];
    const walk = (items: any[]) => items.forEach((i) => (i.link && links.push(i.link), i.items && walk(i.items)));
    for (const lang of ['ko', 'en'] as const) walk([...nav(lang), ...sidebar(lang)]);
    const missing = links.filter((l) => !existsSync(join(DOCS_DIR, l.endsWith('/') ? `${l}index.md` : `${l}.md`)));
    expect(missing).toEqual([]);
    expect(links.length).toBeGreaterThan(20);
  });

  it('builds (dead links and missing includes fail the build)', async () => {
    await builtSite();
    expect(existsSync(join(DIST, 'index.html'))).toBe(true);
    expect(existsSync(join(DIST, 'en', 'strategies', 's3-bluegreen.html'))).toBe(true);
  }, 180_000);

  it('renders each lab page\'s checks table from the catalog, with code from the repository', () => {
    const html = readFileSync(join(DIST, 'en', 'strategies', 's3-bluegreen.html'), 'utf8');
    for (const id of ['green-ready', 'warmup', 'switched', 'rollback-ready', 'traffic']) expect(html).toContain(`id="check-${id}"`);
    expect(html).toContain('minReadySeconds');
    expect(html).toContain('rollout status');
  });

  it('closes every bold and italic marker (Korean particles right after ** would leave them open)', () => {
    const open = htmlFiles(DIST)
      .map((file) => ({ file: relative(DIST, file), text: contentText(file) }))
      .filter(({ text }) => /\*\*|(^|\s)\*\S/.test(text))
      .map(({ file, text }) => `${file}: …${text.slice(Math.max(0, text.search(/\*\*|(^|\s)\*\S/) - 30), text.search(/\*\*|(^|\s)\*\S/) + 30)}…`);
    expect(open).toEqual([]);
  });

  it('renders every entry of versions.json on the versions page, in both languages, and nothing typed by hand', () => {
    const groups = readVersionGroups();
    expect(groups.length).toBeGreaterThan(0);
    for (const page of [join(DIST, 'reference', 'versions.html'), join(DIST, 'en', 'reference', 'versions.html')]) {
      const html = readFileSync(page, 'utf8');
      for (const group of groups) {
        expect(html, page).toContain(`id="versions-${group.name}"`);
        // Vue's SSR escapes text: & < > " ' become entities.
        const html5 = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
        for (const row of group.rows) {
          expect(html, `${page}: ${group.name}.${row.key}`).toContain(`<code>${html5(row.value)}</code>`);
          if (row.note) expect(html, `${page}: note of ${group.name}.${row.key}`).toContain(html5(row.note));
        }
        if (group.note) expect(html, `${page}: note of ${group.name}`).toContain(html5(group.note));
      }
    }
    for (const page of ['reference/versions.md', 'en/reference/versions.md']) {
      const source = readFileSync(join(DOCS_DIR, page), 'utf8');
      // Short values ("24") could be any number in prose; the test is about versions typed by hand.
      for (const { value } of groups.flatMap((g) => g.rows).filter((r) => /\d/.test(r.value) && r.value.length >= 4)) expect(source, page).not.toContain(value);
    }
  });

  it('reads versions.json generically: nested keys become dotted rows, $-keys are notes, not versions', () => {
    expect(versionGroups({ $comment: 'x', tools: { kind: 'v1', nested: { a: '1', list: ['p', 'q'] } }, node: '24' })).toEqual([
      { name: 'tools', rows: [{ key: 'kind', value: 'v1' }, { key: 'nested.a', value: '1' }, { key: 'nested.list.0', value: 'p' }, { key: 'nested.list.1', value: 'q' }] },
      { name: 'node', rows: [{ key: 'node', value: '24' }] },
    ]);
    // notes explain versions; they are not a group of their own
    expect(versionGroups({ charts: { jenkins: { version: '5' } }, notes: { 'charts.jenkins': 'from the chart repo', charts: 'Helm charts' } })).toEqual([
      { name: 'charts', note: 'Helm charts', rows: [{ key: 'jenkins.version', value: '5', note: 'from the chart repo' }] },
    ]);
  });
});

describe('the docs build refuses broken pages (a tiny site with the real config)', () => {
  let site: string;
  beforeAll(() => {
    site = mkdtempSync(join(tmpdir(), 'cicd-lab-docs-'));
    // The site imports the kit's real config (plugins, search, locales); node_modules for Vite.
    mkdirSync(join(site, '.vitepress'));
    writeFileSync(join(site, '.vitepress', 'config.mts'), `export { default } from ${JSON.stringify(join(DOCS_DIR, '.vitepress', 'config.mts'))};\n`);
    symlinkSync(join(ROOT, 'node_modules'), join(site, 'node_modules'), 'dir');
    writeFileSync(join(site, 'other.md'), '# Other\n');
  });
  afterAll(() => site && rmSync(site, { recursive: true, force: true }));

  const build = (index: string) => {
    writeFileSync(join(site, 'index.md'), index);
    return promisify(execFile)(VITEPRESS, ['build', site], { cwd: ROOT, encoding: 'utf8' }).then(
      ({ stdout, stderr }) => ({ ok: true, output: `${stdout}${stderr}` }),
      (e: { stdout: string; stderr: string }) => ({ ok: false, output: `${e.stdout}${e.stderr}` }),
    );
  };

  // No separate "good tiny site" build: the real site's build above is that control, and each
  // failure below must name the very error planted, not just fail.
  it('fails on a dead link, naming it', async () => {
    const result = await build('# Home\n\n[other](./other)\n\n[gone](./no-such-page)\n');
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/dead link/i);
    expect(result.output).toContain('no-such-page');
  }, 120_000);

  it('fails on an include of a file that does not exist, naming it', async () => {
    const result = await build('# Home\n\n<<< @/no-such-file.ts\n');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('included file not found');
    expect(result.output).toContain('no-such-file.ts');
  }, 120_000);
});

describe('Korean-aware search terms', () => {
  it('index a word with its particle and its stem; search by the stem', () => {
    expect(koreanProcessTerm('서비스의', 'text')).toEqual(['서비스의', '서비스']);
    expect(koreanProcessTerm('서비스를')).toBe('서비스');
    expect(koreanProcessTerm('게이트웨이에서')).toBe('게이트웨이');
    expect(koreanProcessTerm('배포합니다')).toBe('배포');
    expect(koreanProcessTerm('Deployment를')).toBe('deployment');
    expect(koreanProcessTerm('Selector', 'text')).toBe('selector');
    // A one-syllable particle must leave two characters: "앱을" stays, "이미지" is not "이미".
    expect(koreanProcessTerm('앱을')).toBe('앱을');
    expect(koreanProcessTerm('이미지')).toBe('이미지');
  });

  it('find a page by a word with another particle, which plain MiniSearch does not', () => {
    const doc = { id: 'p', title: '배포 전략', titles: [], text: '전환은 Service의 selector 하나를 바꾸는 일이고 서비스의 웜업 시간이 중요합니다' };
    // VitePress's defaults (theme-default/components/VPLocalSearchBox.vue).
    const searchOptions = { fuzzy: 0.2, prefix: true, boost: { title: 4, text: 2, titles: 1 } };
    const index = (processTerm?: typeof koreanProcessTerm) => {
      const m = new MiniSearch({ fields: ['title', 'titles', 'text'], searchOptions, ...(processTerm ? { processTerm } : {}) });
      m.add(doc);
      return m;
    };
    for (const query of ['서비스에서', '웜업으로는', '전환합니다']) {
      expect(index().search(query), `plain: ${query}`).toHaveLength(0);
      expect(index(koreanProcessTerm).search(query).map((r) => r.id), `korean: ${query}`).toEqual(['p']);
    }
    expect(index(koreanProcessTerm).search('selector를').map((r) => r.id)).toEqual(['p']);
  });

  it('are sent to the browser as a self-contained function (VitePress revives it from its source text)', () => {
    const revived = new Function(`return ${koreanProcessTerm.toString()}`)() as typeof koreanProcessTerm;
    expect(revived('서비스에서')).toBe('서비스');
    expect(revived('서비스의', 'text')).toEqual(['서비스의', '서비스']);
  });
});

describe.skipIf(Boolean(chromiumMissing))(`the docs in headless Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launch>>;
  const shots = join(REPORTS_DIR, 'screenshots');

  beforeAll(async () => {
    await builtSite();
    site = await serveStatic(DIST);
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  /** Opens a page in a fresh context, recording console errors, failed responses and requests. */
  async function open(path: string, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await openHydrated(page, `${site.url}${path}`);
    return { page, context, errors, requests };
  }

  const DIAGRAM_CHUNK = /\/assets\/chunks\/(TrafficDiagram|PipelineDiagram|DiagramFrame)[^/]*\.js$/;

  /** The page's Markdown source for a site path (`/en/part-0/` → docs/en/part-0/index.md). */
  const sourceOf = (path: string) => join(DOCS_DIR, path.endsWith('/') ? `${path}index.md` : `${path}.md`);
  /** The diagrams a page's source asks for, in order, by the name their figure carries (data-diagram). */
  const diagramsIn = (path: string) =>
    [...readFileSync(sourceOf(path), 'utf8').matchAll(/<(TrafficDiagram|PipelineDiagram)\s+(?:kind|variant)="([\w-]+)"/g)].map((m) => `${m[1] === 'TrafficDiagram' ? 'traffic' : 'pipeline'}-${m[2]}`);

  // [path, screenshot name, h1 text, whether the issue wants a diagram there]
  const visits: [string, string, string, boolean][] = [
    ['/', 'ko-home', 'cicd-lab', true],
    ['/en/', 'en-home', 'cicd-lab', true],
    ['/part-0/', 'ko-part-0', '0부', true],
    ['/en/part-0/', 'en-part-0', 'Part 0', true],
    ['/strategies/', 'ko-strategies', '배포 전략', true],
    ['/en/strategies/', 'en-strategies', 'Deployment strategies', true],
    ['/strategies/s3-bluegreen', 'ko-s3-bluegreen', 'Blue/Green', false],
    ['/en/strategies/s3-bluegreen', 'en-s3-bluegreen', 'Blue/Green', false],
    ['/level-4/', 'ko-level-4', '레벨 4', false],
    ['/en/level-4/', 'en-level-4', 'Level 4', false],
    ['/instructor/', 'ko-instructor', '강사 안내서', false],
    ['/en/instructor/', 'en-instructor', 'Instructor guide', false],
    ['/troubleshooting/', 'ko-troubleshooting', '문제 해결', false],
    ['/en/troubleshooting/', 'en-troubleshooting', 'Troubleshooting', false],
    ['/reference/formats', 'ko-formats', '파일 형식', false],
    ['/en/reference/formats', 'en-formats', 'File formats', false],
    ['/reference/versions', 'ko-versions', '사용하는 버전', false],
    ['/en/reference/versions', 'en-versions', 'Versions in use', false],
  ];

  for (const [path, name, heading, wanted] of visits) {
    const diagrams = diagramsIn(path);
    const what = diagrams.length ? `its diagrams (${diagrams.join(', ')}) drawn` : 'no diagram code loaded';
    it(`opens ${path} without console errors, with ${what} (screenshot reports/screenshots/${name}.png)`, async () => {
      if (wanted) expect(diagrams.length, `${path} should show a diagram`).toBeGreaterThan(0);
      const { page, context, errors, requests } = await open(path);
      expect(await page.locator('h1').first().textContent()).toContain(heading);
      const figures = page.locator('figure.cl-diagram');
      expect(await figures.evaluateAll((fs) => fs.map((f) => f.getAttribute('data-diagram')))).toEqual(diagrams);
      for (let i = 0; i < diagrams.length; i++) {
        const svg = figures.nth(i).locator('svg').first();
        await svg.waitFor({ state: 'visible' });
        const box = await svg.boundingBox();
        expect(box?.width, diagrams[i]).toBeGreaterThan(300);
        expect(box?.height, diagrams[i]).toBeGreaterThan(100);
        // One caption per step: the page's list inside the tag.
        const steps = await figures.nth(i).locator('.cl-step').count();
        expect(await figures.nth(i).locator('figcaption > ol > li').count(), `${diagrams[i]}: captions`).toBe(steps);
      }
      if (!diagrams.length) {
        expect(requests.filter((r) => DIAGRAM_CHUNK.test(r))).toEqual([]);
        // Nor is the diagram code bundled into what the page did load (e.g. the theme chunk).
        const scripts = requests.filter((r) => r.endsWith('.js') && existsSync(join(DIST, r)));
        expect(scripts.length).toBeGreaterThan(0);
        expect(scripts.filter((r) => readFileSync(join(DIST, r), 'utf8').includes('cl-diagram-controls'))).toEqual([]);
      } else {
        // Each kind of diagram in its own chunk, loaded only by pages that use it.
        for (const [component, prefix] of [['TrafficDiagram', 'traffic-'], ['PipelineDiagram', 'pipeline-']]) {
          expect(requests.some((r) => r.includes(`/chunks/${component}.`)), component).toBe(diagrams.some((d) => d.startsWith(prefix)));
        }
      }
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('steps through a diagram: the picture, the marked caption and the spoken announcement follow the buttons', async () => {
    const { page, context, errors } = await open('/en/strategies/');
    const canary = page.locator('figure[data-diagram="traffic-canary"]');
    await canary.scrollIntoViewIfNeeded();
    const current = () => canary.locator('figcaption li.is-current').evaluateAll((lis) => lis.map((li) => li.textContent ?? ''));
    expect(await canary.getAttribute('data-step')).toBe('1');
    await expect.poll(current).toEqual([expect.stringContaining('sends every request to stable')]);
    await canary.getByRole('button', { name: 'Step 3', exact: true }).click();
    expect(await canary.getAttribute('data-step')).toBe('3');
    expect(await canary.locator('svg').textContent()).toContain('v1 80% · v2 20%');
    await expect.poll(current).toEqual([expect.stringContaining('80:20')]);
    await expect.poll(() => canary.locator('[aria-live]').textContent()).toContain('Step 3/5: With weights 80:20');
    await canary.getByRole('button', { name: 'Next step', exact: true }).click();
    expect(await canary.locator('svg').textContent()).toContain('X-Canary: always');
    await canary.screenshot({ path: join(shots, 'en-diagram-canary-step4.png') });
    // Recreate: the gap, when no Pod answers.
    const recreate = page.locator('figure[data-diagram="traffic-recreate"]');
    await recreate.getByRole('button', { name: 'Step 2', exact: true }).click();
    expect(await recreate.locator('svg').textContent()).toContain('downtime');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('plays a diagram to its end with the Play button', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.clock.install();
    await openHydrated(page, `${site.url}/strategies/`);
    const migration = page.locator('figure[data-diagram="traffic-migration"]');
    await migration.scrollIntoViewIfNeeded();
    await migration.getByRole('button', { name: '재생' }).click();
    for (const step of ['2', '3', '4']) {
      await page.clock.runFor(2_600);
      await expect.poll(() => migration.getAttribute('data-step')).toBe(step);
    }
    await page.clock.runFor(2_600);
    expect(await migration.getByRole('button', { name: '재생' }).isVisible()).toBe(true);
    expect(await migration.locator('svg').textContent()).toContain('+ status');
    await migration.screenshot({ path: join(shots, 'ko-diagram-migration-step4.png') });
    await context.close();
  });

  it('waits for the app, not for a quiet network: with the CPU 30× slower, a page opened by openHydrated has asked for its diagram', async () => {
    // What failed a landing run: under load, 500 ms without requests passed before the app had run,
    // so a first load "ended" without the diagram chunk that hydration asks for. Reproduced by
    // throttling the CPU (Chrome DevTools Protocol, Emulation.setCPUThrottlingRate).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: 30 });
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await openHydrated(page, `${site.url}/en/`);
    await context.close();
    expect(asked.filter((u) => DIAGRAM_CHUNK.test(u)).length).toBeGreaterThan(0);
  });

  it('keeps the home page light: bytes transferred on first load (printed), within a budget', async () => {
    const report: string[] = [];
    // The file the static server sent for a path (cleanUrls), to measure its gzipped size too.
    const fileFor = (path: string) =>
      [join(DIST, path, 'index.html'), join(DIST, path), join(DIST, `${path}.html`)].find((f) => existsSync(f) && statSync(f).isFile())!;
    for (const path of ['/', '/en/']) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // VitePress prefetches the pages linked from the viewport once the page is idle
      // (<link rel="prefetch">, resource type "other"): counted apart from what the page needs.
      const types = new Map<string, string>();
      page.on('request', (r) => types.set(new URL(r.url()).pathname, r.resourceType()));
      site.bytes.clear();
      // The diagram is an async component: its chunk is asked for while the app hydrates.
      await openHydrated(page, `${site.url}${path}`);
      await context.close();
      // Bytes as the server sent them (it does not compress), per request of this first load.
      const all = [...site.bytes].map(([url, bytes]) => {
        const pathname = decodeURIComponent(new URL(url, site.url).pathname);
        return { url: pathname, bytes, gzip: gzipSync(readFileSync(fileFor(pathname))).length, prefetch: types.get(pathname) === 'other' };
      });
      const sum = (list: typeof all, key: 'bytes' | 'gzip') => list.reduce((s, b) => s + b[key], 0);
      const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
      const needed = all.filter((b) => !b.prefetch);
      const prefetched = all.filter((b) => b.prefetch);
      const diagramGzip = sum(needed.filter((b) => DIAGRAM_CHUNK.test(b.url)), 'gzip');
      // The Korean web font (docs/.vitepress/theme/style.css) comes in unicode-range slices: a page loads
      // the slices of the characters it shows, and every later page reuses them. Counted and budgeted apart.
      const fonts = needed.filter((b) => /noto-sans-kr-.*\.woff2$/.test(b.url));
      const code = needed.filter((b) => !fonts.includes(b));
      report.push(
        `${path}: ${needed.length} requests, ${kib(sum(needed, 'bytes'))} as served (${kib(sum(needed, 'gzip'))} gzipped), ` +
          `of which the diagram ${(diagramGzip / 1024).toFixed(1)} KiB gzipped and the Korean font ${fonts.length} slices, ${kib(sum(fonts, 'bytes'))}; ` +
          `then, when idle, ${prefetched.length} linked pages prefetched: ${kib(sum(prefetched, 'bytes'))} (${kib(sum(prefetched, 'gzip'))} gzipped)`,
      );
      expect(needed.some((b) => b.url.includes('/chunks/PipelineDiagram.'))).toBe(true);
      // Budget: VitePress's own app, theme, styles and Latin font are most of it; a heavy diagram library would break it.
      expect(sum(code, 'gzip')).toBeLessThan(250 * 1024);
      // The Korean font: only the slices a page needs, regular and bold (a whole font would be about 1 MiB per weight).
      expect(sum(fonts, 'bytes')).toBeLessThan(path === '/' ? 600 * 1024 : 100 * 1024);
    }
    console.log(`home page weight on first load\n  ${report.join('\n  ')}`);
    writeFileSync(join(REPORTS_DIR, 'docs-weight.txt'), `${report.join('\n')}\n`);
  });

  /** Types a query into the local search box and returns the result links once `expected` is among them (or after 30 s: the search index loads on first use). */
  async function search(path: string, query: string, expected: RegExp) {
    const { page, context } = await open(path);
    await page.locator('.VPNavBarSearch button').click();
    await page.locator('.VPLocalSearchBox input').fill(query);
    const results = page.locator('.VPLocalSearchBox .results a');
    const hrefs = () => results.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    await expect.poll(async () => (await hrefs()).some((h) => expected.test(h)), { timeout: 30_000 }).toBe(true).catch(() => undefined);
    const found = await hrefs();
    await context.close();
    return found;
  }

  /** The built Korean pages' main text, one document each, indexed the way VitePress would without the Korean terms. */
  const koreanPages = () => htmlFiles(DIST).filter((f) => !relative(DIST, f).startsWith('en/')).map((f) => ({ id: relative(DIST, f), text: contentText(f) }));

  it.each([
    ['웜업에서', /^\/strategies\/(#|$)/, '웜업'],
    ['프록시에서', /^\/troubleshooting\/(#|$)/, '프록시'],
    ['리허설에서', /^\/instructor\/(#|$)/, '리허설'],
    ['롤백하려면', /^\/strategies\/(#|$)/, '롤백'],
  ])('Korean search: "%s" finds the page that has the word only with other particles or endings', async (query, target, stem) => {
    // Without the Korean terms, VitePress's search (prefix + fuzzy 0.2) finds nothing for it here…
    const plain = new MiniSearch({ fields: ['text'], searchOptions: { fuzzy: 0.2, prefix: true } });
    const docs = koreanPages();
    plain.addAll(docs);
    expect(plain.search(query), 'the query must not match as written, or this proves nothing').toEqual([]);
    expect(docs.some((d) => d.text.includes(stem))).toBe(true);
    // …with them, the site's search box does.
    expect(await search('/', query, target)).toContainEqual(expect.stringMatching(target));
  });

  it.each([
    ['/en/', 'selector', /^\/en\/strategies\/s3-bluegreen/],
    ['/en/', 'blast radius', /^\/en\/part-0\//],
    ['/', 'selector', /^\/strategies\//],
  ])('search on %s finds "%s"', async (path, query, target) => {
    expect(await search(path, query, target)).toContainEqual(expect.stringMatching(target));
  });

  it('search finds the versions page by a key of versions.json (the Vue-rendered table is indexed too)', async () => {
    const key = readVersionGroups()[0].rows[0].key.split('.').pop()!;
    expect(await search('/en/', key, /^\/en\/reference\/versions/)).toContainEqual(expect.stringMatching(/^\/en\/reference\/versions/));
  });
});
