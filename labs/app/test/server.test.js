import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const SERVER = fileURLToPath(new URL('../src/server.js', import.meta.url));

/**
 * Start the real server on a free port; resolves once it says where it listens. `said(pattern)`
 * resolves when its output matches, as soon as it does: no test here guesses how long a busy machine
 * (the build pods run these tests too) takes to start a process or to handle a signal.
 */
async function start(env) {
  const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiting = new Set();
  const check = () => {
    for (const w of waiting) {
      const m = w.pattern.exec(out);
      if (m) w.resolve(m);
    }
  };
  child.stdout.on('data', (c) => ((out += c), check()));
  child.stderr.on('data', (c) => ((out += c), check()));
  child.on('exit', (code) => {
    for (const w of waiting) w.reject(new Error(`the server exited (${code}) before saying ${w.pattern}:\n${out}`));
  });
  const said = (pattern, ms = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not say ${pattern} within ${ms / 1000} s:\n${out}`)), ms);
      const w = { pattern, resolve: (m) => (clearTimeout(timer), waiting.delete(w), resolve(m)), reject: (e) => (clearTimeout(timer), waiting.delete(w), reject(e)) };
      waiting.add(w);
      check();
    });
  const [, port] = await said(/listening on :(\d+)/);
  return { child, base: `http://127.0.0.1:${port}`, output: () => out, said };
}

// Side by side: each test runs its own server process, and the shutdown test mostly waits.
describe('the server process', { concurrency: true }, () => {
  it('serves the version baked in APP_VERSION and logs it with its colour', async () => {
    const s = await start({ APP_VERSION: 'v1' });
    try {
      assert.deepEqual(await (await fetch(`${s.base}/`)).json().then((j) => [j.version, j.color]), ['v1', 'blue']);
      assert.match(s.output(), /hello-app v1 \(blue\) listening/);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('on SIGTERM turns unready at once, keeps answering for SHUTDOWN_DELAY_SECONDS, then exits 0', async () => {
    // The test waits for the server to say it saw the signal, then asks twice within the delay. On a
    // machine too busy to ask in time (the build pods run these tests too), the answers say nothing
    // about the server: the test runs again with a longer delay instead of failing a correct server.
    for (const delay of [3, 20]) {
      const s = await start({ APP_VERSION: 'v2', SHUTDOWN_DELAY_SECONDS: String(delay) });
      const exited = once(s.child, 'exit');
      s.child.kill('SIGTERM');
      await s.said(/SIGTERM: not ready any more/);
      const seen = Date.now();
      const readyz = await fetch(`${s.base}/readyz`).then((r) => r.status, (e) => e);
      const home = await fetch(`${s.base}/`).then((r) => r.status, (e) => e);
      const inTime = Date.now() - seen < (delay - 1) * 1000;
      const [code] = await exited;
      if (!inTime && delay < 20) continue;
      assert.equal(readyz, 503);
      assert.equal(home, 200);
      assert.equal(code, 0);
      assert.match(s.output(), new RegExp(`SIGTERM: not ready any more; stopping in ${delay} s[\\s\\S]*stopped`));
      return;
    }
  });

  it('says at start, for kubectl logs, what keeps it from being ready and which share of requests will fail', async () => {
    const s = await start({ APP_VERSION: 'v3', REQUIRED_SETTINGS: 'PAYMENT_URL', FAIL_PERCENT: '30' });
    try {
      await s.said(/FAIL_PERCENT=30/);
      assert.match(s.output(), /never ready: missing setting PAYMENT_URL \(listed in REQUIRED_SETTINGS, not set in the environment\)/);
      assert.match(s.output(), /FAIL_PERCENT=30: 30% of GET \/ requests will fail with 500/);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('refuses a wrong setting with one line and exit code 2', async () => {
    const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    // 'close', not 'exit': a process may exit before its stderr has been read to the end (seen under load).
    const [code] = await once(child, 'close');
    assert.equal(code, 2);
    assert.equal(err.trim(), 'hello-app: PORT must be a port number, not "eighty"');
  });
});
