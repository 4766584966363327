/**
 * `npm run class-report -- --watch <folder>`: the class report, live, for the projector. A small
 * HTTP server on this machine (127.0.0.1 unless told otherwise) serves the page; the page keeps one
 * server-sent-events connection open (GET /events) and reloads itself when the server says a new
 * report is ready.
 *
 * Why these choices:
 * - Server-sent events, not the page polling: node:http alone (no new dependency), the browser's
 *   EventSource reconnects by itself, and nothing is sent while nothing changes. A page opened from
 *   disk (file://) cannot be told anything, so watching needs the server anyway.
 * - The folder is polled (a listing with sizes and modification times, every `intervalMs`), not
 *   watched with fs.watch: hand-ins arrive through shared drives and synced folders, where change
 *   notifications often never come, and recursive watching is not the same on every OS. A listing
 *   of a workshop's few dozen files costs nothing at that pace.
 * A new or changed file rebuilds the report (snapshots graded again), writes class.html and
 * class.csv as the command does without --watch, and tells every open page.
 */
import { statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabError } from '../errors.js';
import { L, t, type Lang } from '../i18n.js';
import { renderClassHtml } from './class-html.js';
import { buildClassReport, writeClassReport } from './class-report.js';
import { findHandInFiles, readHandIns } from './hand-ins.js';

export interface WatchOptions {
  folder: string;
  /** Where class.html and class.csv are written after each change. */
  out: string;
  lang: Lang;
  port: number;
  host?: string;
  labs?: string[];
  top?: number;
  title?: string;
  sort?: 'name' | 'progress' | 'graded';
  /** How often the folder is listed (default 2000 ms). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface Watching {
  url: string;
  /** The report's version: 1 for the first, one more for each change seen. */
  version(): number;
  close(): Promise<void>;
}

/** What the folder holds, as far as a change matters: each hand-in file's path, size and time. */
export function folderSignature(folder: string): string {
  const { files } = findHandInFiles([folder]);
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${f}\t${s.size}\t${s.mtimeMs}`;
      } catch {
        return `${f}\t-`;
      }
    })
    .join('\n');
}

export async function watchClass(options: WatchOptions): Promise<Watching> {
  const log = options.log ?? ((line: string) => console.log(line));
  const lang = options.lang;
  let version = 0;
  let page = '';
  let signature: string | undefined;
  const clients = new Set<ServerResponse>();

  async function rebuild(): Promise<void> {
    const { handIns, skipped } = await readHandIns([options.folder], { lang, labs: options.labs });
    const report = buildClassReport(handIns, skipped, { lang, labs: options.labs, top: options.top, title: options.title });
    writeClassReport(report, options.out, { sort: options.sort });
    version++;
    page = renderClassHtml(report, { sort: options.sort, live: { version } });
    for (const client of clients) client.write(`event: version\ndata: ${version}\n\n`);
    log(t(L(`[${new Date().toLocaleTimeString(lang)}] 반 보고서 ${version}판: 학습자 ${handIns.length}명`, `[${new Date().toLocaleTimeString(lang)}] class report #${version}: ${handIns.length} learners`), lang));
  }

  /** Look at the folder; rebuild when it changed. A file of an unknown version is said, and the last report stays. */
  let busy = false;
  async function look(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      const now = folderSignature(options.folder);
      if (now === signature) return;
      signature = now;
      await rebuild();
    } catch (error) {
      // Said, and the last report stays on the projector; the next change is looked at again.
      log(`✗ ${error instanceof LabError ? t(error.text, lang) : (error as Error).message}`);
      signature = undefined;
    } finally {
      busy = false;
    }
  }

  await look();
  if (!version) throw new LabError(L(`${options.folder}로 반 보고서를 만들 수 없습니다.`, `Cannot build the class report from ${options.folder}.`));

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/' || path === '/class.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    } else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`retry: 2000\nevent: version\ndata: ${version}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE'
        ? new LabError(L(`포트 ${options.port}을(를) 이미 쓰고 있습니다. --port로 다른 포트를 고르세요.`, `Port ${options.port} is in use: choose another with --port.`))
        : error));
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const timer = setInterval(() => void look(), options.intervalMs ?? 2000);

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    version: () => version,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const client of clients) client.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
