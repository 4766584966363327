import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { describeCounts, readUsersConfig, run, visit } from '../src/users.js';

/** The app behind a stand-in gateway that, like the real one, routes by the Host header only. */
async function gateway(routes) {
  const server = createServer((req, res) => {
    const app = routes[req.headers.host];
    if (!app) return res.writeHead(404).end();
    void app.handle(req, res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: new URL(`http://127.0.0.1:${server.address().port}/`), close: () => new Promise((r) => server.close(r)) };
}

describe('the simulated users (src/users.js)', () => {
  it('read their settings, refusing a wrong one by name', () => {
    const c = readUsersConfig({ TARGET_URL: 'http://lab-nginx.lab-gateway.svc.cluster.local/', TARGET_HOST: 'l4-rollouts-analysis.localhost' });
    assert.equal(c.url.href, 'http://lab-nginx.lab-gateway.svc.cluster.local/');
    assert.equal(c.host, 'l4-rollouts-analysis.localhost');
    assert.equal(c.perSecond, 5);
    assert.throws(() => readUsersConfig({ REQUESTS_PER_SECOND: '0' }), /REQUESTS_PER_SECOND/);
    assert.throws(() => readUsersConfig({ TARGET_URL: 'ftp://x/' }), /TARGET_URL/);
  });

  it('send the Host header the gateway routes by, and tell a version from a failure', async () => {
    const g = await gateway({ 'shop.localhost': createApp({ config: readConfig({ APP_VERSION: 'v3', FAIL_PERCENT: '50' }), host: 'h' }) });
    try {
      assert.deepEqual(await visit(g.url, 'shop.localhost'), { version: 'v3' });
      assert.deepEqual(await visit(g.url, 'shop.localhost'), { failure: 'HTTP 500' });
      assert.deepEqual(await visit(g.url, 'other.localhost'), { failure: 'HTTP 404' });
      assert.deepEqual(await visit(new URL('http://127.0.0.1:1/'), 'shop.localhost'), { failure: 'no answer' });
    } finally {
      await g.close();
    }
  });

  it('keep sending and report what answered', async () => {
    const g = await gateway({ 'shop.localhost': createApp({ config: readConfig({ APP_VERSION: 'v2' }), host: 'h' }) });
    try {
      const line = await new Promise((resolve) => {
        const stop = run({ url: g.url, host: 'shop.localhost', perSecond: 50, reportSeconds: 1 }, (l) => (stop(), resolve(l)));
      });
      assert.match(line, /last 1 s: \d+ requests: v2 \d+$/);
    } finally {
      await g.close();
    }
  });

  it('describe counts with the failures apart', () => {
    assert.equal(describeCounts({ versions: { v2: 8, v1: 40 }, failures: { 'HTTP 500': 2 } }), '50 requests: v1 40, v2 8; failed: HTTP 500 2');
    assert.equal(describeCounts({ versions: {}, failures: {} }), '0 requests: none answered');
  });
});
