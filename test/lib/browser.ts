/**
 * Headless Chromium for the docs tests: Debian's /usr/bin/chromium driven by playwright-core
 * (no browser download), started with the flags this network needs.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { poll } from '../../src/wait.js';
import { needsPackages } from './os-packages.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = needsPackages('chromium');

export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens a page of the built VitePress site and waits until the app has hydrated and the network has
 * been quiet for half a second after that. networkidle alone is not enough on a busy machine: it
 * fires after 500 ms without requests, and running the app's script can take longer than that, so a
 * test would click a button that does nothing yet, or count bytes before the diagram chunks (async
 * components asked for while hydrating) were requested. Playwright's waitForLoadState('networkidle')
 * cannot be asked again (it returns at once once reached), so the requests are counted here.
 * Vue marks the container once the app is mounted (`#app.__vue_app__`, runtime-core's mount).
 */
export async function openHydrated(page: import('playwright-core').Page, url: string, quietMs = 500): Promise<void> {
  let inFlight = 0;
  let lastChange = Date.now();
  const started = () => void (inFlight++, (lastChange = Date.now()));
  const ended = () => void (inFlight--, (lastChange = Date.now()));
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__), undefined, { timeout: 30_000 });
    // Quiet: nothing in flight for quietMs (a redirect's hops could leave the count above 0: the deadline ends the wait).
    await poll(async () => ({ done: inFlight <= 0 && Date.now() - lastChange >= quietMs }), { timeoutMs: 30_000, intervalMs: 50 });
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.woff2': 'font/woff2', '.png': 'image/png' };

/** Serve a built VitePress site (cleanUrls: /a/b → a/b.html, /a/ → a/index.html), its hashed assets cacheable. */
export async function serveStatic(root: string): Promise<{ url: string; server: Server; bytes: Map<string, number> }> {
  const bytes = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const candidates = path.endsWith('/') ? [join(root, path, 'index.html')] : [join(root, path), join(root, `${path}.html`), join(root, path, 'index.html')];
    for (const file of candidates) {
      if ((await stat(file).catch(() => undefined))?.isFile()) {
        const body = await readFile(file);
        bytes.set(req.url ?? path, body.length);
        // VitePress names its assets by their content (assets/*.<hash>.js|css|woff2): a browser may keep
        // them, as it does from any web server that says so, so a test that opens page after page in
        // one browser context loads the app once. Pages themselves are always asked for again.
        const immutable = path.startsWith('/assets/');
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
        res.end(body);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end(await readFile(join(root, '404.html')).catch(() => 'not found'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, bytes };
}
