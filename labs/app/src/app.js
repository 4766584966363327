// The HTTP side of hello-app: routes, readiness and content negotiation. server.js wires it to a
// real server and to signals; the tests drive it directly.
//
//   GET /         {version, color, host} as JSON — or a page in that colour for a browser
//                 (Accept: text/html). While not ready: 503 with the reason.
//   GET /healthz  200 while the process runs (liveness)
//   GET /readyz   200 once ready: READY_DELAY_SECONDS after start (a cold start), the database
//                 schema in place (database mode), and not shutting down; else 503 with the reason
//   GET /orders   database mode: the orders as JSON
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { renderPage } from './page.js';

/** The announcement to show (NOTICE_FILE, e.g. a ConfigMap key mounted as a file), if any. */
export function readNotice(file) {
  if (!file) return undefined;
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text || undefined;
  } catch {
    return undefined; // not there (yet): nothing to announce
  }
}

const wantsHtml = (req) => /\btext\/html\b/.test(req.headers.accept ?? '');

/**
 * @param {{config: ReturnType<import('./config.js').readConfig>, shop?: import('./shop.js').Shop,
 *          now?: () => number, host?: string}} options
 */
export function createApp({ config, shop, now = Date.now, host = hostname() }) {
  const startedAt = now();
  let shuttingDown = false;

  /** Ready to take traffic? And if not, why (a sentence for /readyz and the 503s). */
  function readiness() {
    if (shuttingDown) return { ready: false, reason: 'shutting down' };
    const left = config.readyDelaySeconds - (now() - startedAt) / 1000;
    if (left > 0) return { ready: false, reason: `warming up (${Math.ceil(left)} s left of READY_DELAY_SECONDS=${config.readyDelaySeconds})` };
    if (shop) {
      const s = shop.status();
      if (!s.ready) return { ready: false, reason: s.reason };
    }
    return { ready: true, reason: '' };
  }

  const identity = () => ({ version: config.version, color: config.color.name, host });

  function send(res, status, body, type = 'application/json') {
    const text = type === 'application/json' ? `${JSON.stringify(body)}\n` : body;
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function home(req, res) {
    const state = readiness();
    const notice = readNotice(config.noticeFile);
    // While shutting down, keep answering: the endpoints still list this Pod for a moment.
    if (!state.ready && !shuttingDown) {
      res.setHeader('retry-after', '2');
      if (wantsHtml(req)) return send(res, 503, renderPage({ ...identity(), hex: config.color.hex, error: state.reason, notice }), 'text/html');
      return send(res, 503, { ...identity(), error: state.reason });
    }
    const body = { ...identity() };
    if (notice) body.notice = notice;
    let orders;
    if (shop) {
      try {
        orders = await shop.orders();
        body.orders = await shop.count();
        body.schema = shop.schemaVersion;
      } catch (error) {
        return send(res, 503, { ...identity(), error: `database unavailable: ${error.message}` });
      }
    }
    if (wantsHtml(req)) return send(res, 200, renderPage({ ...body, hex: config.color.hex, orders, columns: shop?.needs }), 'text/html');
    return send(res, 200, body);
  }

  async function handle(req, res) {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: `${req.method} is not allowed` });
    try {
      switch (path) {
        case '/':
          return await home(req, res);
        case '/healthz':
          return send(res, 200, 'ok\n', 'text/plain');
        case '/readyz': {
          const state = readiness();
          return send(res, state.ready ? 200 : 503, state);
        }
        case '/orders':
          if (!shop) return send(res, 404, { error: 'no database: set DATABASE_URL for the shop' });
          if (!readiness().ready && !shuttingDown) return send(res, 503, { error: readiness().reason });
          return send(res, 200, { version: config.version, schema: shop.schemaVersion, orders: await shop.orders(100) });
        default:
          return send(res, 404, { error: `no such page: ${path}` });
      }
    } catch (error) {
      return send(res, 500, { error: error.message });
    }
  }

  return {
    handle,
    readiness,
    /** From now on /readyz answers 503, so that Kubernetes stops sending traffic here. */
    startShutdown() {
      shuttingDown = true;
    },
  };
}
