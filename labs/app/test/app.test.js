import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp, failsRequest } from '../src/app.js';
import { readConfig } from '../src/config.js';

/** Serve an app on a free port; requests go through real HTTP. */
async function serve(app) {
  const server = createServer((req, res) => void app.handle(req, res));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const get = async (path, headers = {}) => {
    const res = await fetch(`${base}${path}`, { headers });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), text, json: () => JSON.parse(text) };
  };
  return { base, get, close: () => new Promise((r) => server.close(r)) };
}

describe('GET /', () => {
  let s;
  before(async () => (s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v2' }), host: 'web-abc' }))));
  after(() => s.close());

  it('answers JSON with version, colour and host', async () => {
    const r = await s.get('/', { accept: 'application/json' });
    assert.equal(r.status, 200);
    assert.match(r.type, /^application\/json/);
    assert.deepEqual(r.json(), { version: 'v2', color: 'green', host: 'web-abc' });
  });

  it('answers JSON to curl (Accept: */*)', async () => {
    assert.deepEqual((await s.get('/', { accept: '*/*' })).json(), { version: 'v2', color: 'green', host: 'web-abc' });
  });

  it('answers a page in the version\'s colour to a browser', async () => {
    const r = await s.get('/', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    assert.match(r.type, /^text\/html/);
    assert.match(r.text, /background: #16a34a/);
    assert.match(r.text, /<h1>v2<\/h1>/);
  });

  it('has /healthz, and 404 and 405 for what it does not serve', async () => {
    assert.equal((await s.get('/healthz')).text, 'ok\n');
    assert.equal((await s.get('/nope')).status, 404);
    assert.equal((await fetch(`${s.base}/`, { method: 'POST' })).status, 405);
  });
});

describe('readiness', () => {
  it('stays unready for READY_DELAY_SECONDS after start (a cold start), answering 503 with the reason, then ready', async () => {
    let clock = 1_000_000;
    const app = createApp({ config: readConfig({ APP_VERSION: 'v1', READY_DELAY_SECONDS: '5' }), now: () => clock, host: 'h' });
    const s = await serve(app);
    try {
      let r = await s.get('/readyz');
      assert.equal(r.status, 503);
      assert.match(r.json().reason, /warming up \(5 s left/);
      r = await s.get('/');
      assert.equal(r.status, 503);
      assert.equal(r.json().error.startsWith('warming up'), true);
      clock += 4_000;
      assert.match((await s.get('/readyz')).json().reason, /1 s left/);
      clock += 1_000;
      assert.equal((await s.get('/readyz')).status, 200);
      assert.equal((await s.get('/')).status, 200);
    } finally {
      await s.close();
    }
  });

  it('turns unready at shutdown but keeps answering / while the endpoints catch up', async () => {
    const app = createApp({ config: readConfig({ APP_VERSION: 'v1' }), host: 'h' });
    const s = await serve(app);
    try {
      app.startShutdown();
      assert.deepEqual((await s.get('/readyz')).json(), { ready: false, reason: 'shutting down' });
      assert.equal((await s.get('/')).status, 200);
    } finally {
      await s.close();
    }
  });
});

describe('the failure drills\' faults, switched on by the environment', () => {
  it('REQUIRED_SETTINGS: never ready while a listed setting is missing, and /readyz says which; ready once it is set', async () => {
    const broken = await serve(createApp({ config: readConfig({ APP_VERSION: 'v3', REQUIRED_SETTINGS: 'PAYMENT_URL, REGION', REGION: 'eu' }), host: 'h' }));
    const fixed = await serve(createApp({ config: readConfig({ APP_VERSION: 'v3', REQUIRED_SETTINGS: 'PAYMENT_URL', PAYMENT_URL: 'http://payments' }), host: 'h' }));
    try {
      const r = await broken.get('/readyz');
      assert.equal(r.status, 503);
      assert.deepEqual(r.json(), { ready: false, reason: 'missing setting PAYMENT_URL (listed in REQUIRED_SETTINGS, not set in the environment)' });
      assert.equal((await broken.get('/')).status, 503);
      assert.equal((await broken.get('/healthz')).status, 200); // alive, only not ready: no restarts, just no traffic
      assert.equal((await fixed.get('/readyz')).status, 200);
    } finally {
      await broken.close();
      await fixed.close();
    }
  });

  it('FAIL_PERCENT: that share of GET / answers 500, spread evenly, and /stats counts them', async () => {
    const s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v3', FAIL_PERCENT: '30' }), host: 'h' }));
    try {
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push((await s.get('/')).status);
      assert.deepEqual(statuses, [200, 200, 200, 500, 200, 200, 500, 200, 200, 500]);
      assert.match((await s.get('/readyz')).text, /"ready":true/); // ready: the bug shows only in the answers
      assert.deepEqual((await s.get('/stats')).json(), { version: 'v3', requests: 10, errors: 3, errorRate: 0.3 });
    } finally {
      await s.close();
    }
  });

  it('without them, /stats reports no errors, and counts only GET / (not itself, not the probes)', async () => {
    const s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v2' }), host: 'h' }));
    try {
      assert.deepEqual((await s.get('/stats')).json(), { version: 'v2', requests: 0, errors: 0, errorRate: 0 });
      for (let i = 0; i < 4; i++) await s.get('/');
      await s.get('/readyz');
      await s.get('/healthz');
      assert.deepEqual((await s.get('/stats')).json(), { version: 'v2', requests: 4, errors: 0, errorRate: 0 });
    } finally {
      await s.close();
    }
  });

  it('failsRequest: after n requests exactly ⌊n × percent / 100⌋ have failed, for any share', () => {
    for (const percent of [0, 1, 5, 30, 50, 99, 100]) {
      let failed = 0;
      for (let n = 1; n <= 500; n++) {
        if (failsRequest(n, percent)) failed++;
        assert.equal(failed, Math.floor((n * percent) / 100), `percent ${percent}, n ${n}`);
      }
    }
  });

  it('counts a 503 while warming up as an error too: the users got no answer', async () => {
    const s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v1', READY_DELAY_SECONDS: '60' }), host: 'h' }));
    try {
      await s.get('/');
      assert.deepEqual((await s.get('/stats')).json(), { version: 'v1', requests: 1, errors: 1, errorRate: 1 });
    } finally {
      await s.close();
    }
  });
});

describe('the notice (NOTICE_FILE)', () => {
  it('is shown when the file has text, in JSON and on the page, and not when the file is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hello-notice-'));
    const file = join(dir, 'message');
    const s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v1', NOTICE_FILE: file }), host: 'h' }));
    try {
      assert.equal((await s.get('/')).json().notice, undefined);
      writeFileSync(file, 'Orders pause at 14:00 for <5 minutes>\n');
      assert.equal((await s.get('/')).json().notice, 'Orders pause at 14:00 for <5 minutes>');
      assert.match((await s.get('/', { accept: 'text/html' })).text, /class="notice">📣 Orders pause at 14:00 for &lt;5 minutes&gt;/);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('database mode, with a shop that reports its state', () => {
  const shop = (state) => ({
    schemaVersion: 2,
    needs: ['id', 'item', 'created_at', 'status'],
    status: () => state,
    orders: async () => [{ id: 1, item: 'tea', created_at: new Date('2026-12-01T12:00:00Z'), status: 'placed' }],
    count: async () => 1,
  });

  it('is not ready while the shop is not, and says why', async () => {
    const s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v2' }), shop: shop({ ready: false, reason: 'the database schema lacks orders.status' }), host: 'h' }));
    try {
      assert.equal((await s.get('/readyz')).json().reason, 'the database schema lacks orders.status');
      assert.equal((await s.get('/')).status, 503);
      assert.equal((await s.get('/orders')).status, 503);
    } finally {
      await s.close();
    }
  });

  it('adds the order count and schema to / and lists orders at /orders when ready', async () => {
    const s = await serve(createApp({ config: readConfig({ APP_VERSION: 'v2' }), shop: shop({ ready: true, reason: '' }), host: 'h' }));
    try {
      assert.deepEqual((await s.get('/')).json(), { version: 'v2', color: 'green', host: 'h', orders: 1, schema: 2 });
      assert.deepEqual((await s.get('/orders')).json().orders, [{ id: 1, item: 'tea', created_at: '2026-12-01T12:00:00.000Z', status: 'placed' }]);
      assert.match((await s.get('/', { accept: 'text/html' })).text, /<th>status<\/th>.*<td>2026-12-01T12:00:00.000Z<\/td><td>placed<\/td>/s);
    } finally {
      await s.close();
    }
  });

  it('has no /orders without a database', async () => {
    const s = await serve(createApp({ config: readConfig({}), host: 'h' }));
    try {
      assert.equal((await s.get('/orders')).status, 404);
    } finally {
      await s.close();
    }
  });
});
