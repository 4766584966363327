// The HTTP side of hello-app: routes, readiness and content negotiation. server.js wires it to a
// real server and to signals; the tests drive it directly.
//
//   GET /         {version, color, host} as JSON — or a page in that colour for a browser
//                 (Accept: text/html). While not ready: 503 with the reason. With FAIL_PERCENT set,
//                 that share of requests gets a 500 instead (the bug of a failure drill).
//   GET /healthz  200 while the process runs (liveness)
//   GET /readyz   200 once ready: READY_DELAY_SECONDS after start (a cold start), every setting
//                 REQUIRED_SETTINGS names present, the database schema in place (database mode),
//                 and not shutting down; else 503 with the reason
//   GET /stats    how GET / went since start: {version, requests, errors, errorRate} — the
//                 figures a canary analysis reads
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
 * Does the n-th request (counting from 1) hit the bug, when `percent` of requests do? The failures
 * are spread evenly instead of drawn at random — with 30, requests 4, 7 and 10 of every ten fail —
 * so that after n requests exactly ⌊n × percent / 100⌋ have failed.
 */
export const failsRequest = (n, percent) => Math.floor((n * percent) / 100) > Math.floor(((n - 1) * percent) / 100);

/** Why the app is not ready when settings it needs are not set: "missing setting PAYMENT_URL (…)". */
export const missingReason = (missing) =>
  `missing setting${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (listed in REQUIRED_SETTINGS, not set in the environment)`;

/** What GET /stats answers: how many GET / requests came since start, how many got an error (5xx), and the share. */
export const statsBody = (version, requests, errors) => ({ version, requests, errors, errorRate: requests ? errors / requests : 0 });

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
    if (config.missingSettings.length) return { ready: false, reason: missingReason(config.missingSettings) };
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
    return status;
  }

  // GET / since start: how many requests, how many answered with an error (GET /stats).
  let requests = 0;
  let errors = 0;

  async function home(req, res) {
    const n = ++requests;
    let status = 500;
    try {
      status = await answerHome(req, res, n);
    } finally {
      if (status >= 500) errors++;
    }
  }

  /** GET / itself; `n` is this request's number since start. Returns the status it answered. */
  async function answerHome(req, res, n) {
    const state = readiness();
    const notice = readNotice(config.noticeFile);
    // While shutting down, keep answering: the endpoints still list this Pod for a moment.
    if (!state.ready && !shuttingDown) {
      res.setHeader('retry-after', '2');
      if (wantsHtml(req)) return send(res, 503, renderPage({ ...identity(), hex: config.color.hex, error: state.reason, notice }), 'text/html');
      return send(res, 503, { ...identity(), error: state.reason });
    }
    if (failsRequest(n, config.failPercent)) {
      const error = `internal error: this request hit the release's bug (FAIL_PERCENT=${config.failPercent})`;
      if (wantsHtml(req)) return send(res, 500, renderPage({ ...identity(), hex: config.color.hex, error, notice }), 'text/html');
      return send(res, 500, { ...identity(), error });
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
        case '/stats':
          return send(res, 200, statsBody(config.version, requests, errors));
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
