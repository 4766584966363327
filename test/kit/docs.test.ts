import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_DIR, REPORTS_DIR, ROOT } from '../../src/paths.js';
import { chromiumMissing, launch, serveStatic } from '../lib/browser.js';

const DIST = join(DOCS_DIR, '.vitepress', 'dist');

function pages(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return dir === DOCS_DIR && name === 'en' ? [] : pages(path, base);
    return name.endsWith('.md') && name !== 'README.md' ? [relative(base, path)] : [];
  });
}

const anchors = (file: string) => [...readFileSync(file, 'utf8').matchAll(/\{#([\w-]+)\}/g)].map((m) => m[1]);

describe('the docs site', () => {
  it('has every page in both Korean and English, with the same section anchors', () => {
    const ko = pages(DOCS_DIR).sort();
    const en = pages(join(DOCS_DIR, 'en')).sort();
    expect(en).toEqual(ko);
    for (const page of ko) expect(anchors(join(DOCS_DIR, 'en', page)), page).toEqual(anchors(join(DOCS_DIR, page)));
  });

  it('builds (dead links and missing includes fail the build)', () => {
    try {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'vitepress'), ['build', 'docs'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const e = error as { stdout: string; stderr: string };
      throw new Error(`vitepress build failed:\n${e.stdout}\n${e.stderr}`);
    }
    expect(existsSync(join(DIST, 'index.html'))).toBe(true);
    expect(existsSync(join(DIST, 'en', 'strategies', 's3-bluegreen.html'))).toBe(true);
  }, 180_000);

  it('renders each lab page\'s checks table from the catalog, with code from the repository', () => {
    const html = readFileSync(join(DIST, 'en', 'strategies', 's3-bluegreen.html'), 'utf8');
    for (const id of ['green-ready', 'warmup', 'switched', 'rollback-ready', 'traffic']) expect(html).toContain(`id="check-${id}"`);
    expect(html).toContain('minReadySeconds');
    expect(html).toContain('rollout status');
  });
});

describe.skipIf(Boolean(chromiumMissing))(`the docs in headless Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Awaited<ReturnType<typeof launch>>;
  const shots = join(REPORTS_DIR, 'screenshots');

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) execFileSync(join(ROOT, 'node_modules', '.bin', 'vitepress'), ['build', 'docs'], { cwd: ROOT, stdio: 'pipe' });
    site = await serveStatic(DIST);
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  const visits: [string, string, string][] = [
    ['/', 'ko-home', 'cicd-lab'],
    ['/en/', 'en-home', 'cicd-lab'],
    ['/part-0/', 'ko-part-0', '0부'],
    ['/en/part-0/', 'en-part-0', 'Part 0'],
    ['/strategies/', 'ko-strategies', '배포 전략'],
    ['/en/strategies/', 'en-strategies', 'Deployment strategies'],
    ['/strategies/s3-bluegreen', 'ko-s3-bluegreen', 'Blue/Green'],
    ['/en/strategies/s3-bluegreen', 'en-s3-bluegreen', 'Blue/Green'],
  ];

  for (const [path, name, heading] of visits) {
    it(`opens ${path} without console errors (screenshot reports/screenshots/${name}.png)`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
      await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' });
      expect(await page.locator('h1').first().textContent()).toContain(heading);
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it.each([
    ['/', '전환', '/strategies/s3-bluegreen'],
    ['/en/', 'selector', '/en/strategies/s3-bluegreen'],
  ])('local search on %s finds "%s" on the lab page', async (path, query, target) => {
    const page = await browser.newPage();
    await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' });
    await page.locator('.VPNavBarSearch button').click();
    await page.locator('.VPLocalSearchBox input').fill(query);
    const results = page.locator('.VPLocalSearchBox .results a');
    await results.first().waitFor({ timeout: 10_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.some((h) => h.startsWith(target))).toBe(true);
    await page.close();
  });
});
