import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const SERVER = fileURLToPath(new URL('../src/server.js', import.meta.url));

/** Start the real server on a free port; resolves once it says where it listens. */
async function start(env) {
  const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  for (let i = 0; i < 100 && !/listening on :\d+/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  const port = /listening on :(\d+)/.exec(out)?.[1];
  if (!port) throw new Error(`the server did not start:\n${out}`);
  return { child, base: `http://127.0.0.1:${port}`, output: () => out };
}

describe('the server process', () => {
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
    // A window long enough for a busy machine (the build pods run these tests too); the test waits
    // for the server to say it saw the signal instead of guessing how long that takes.
    const s = await start({ APP_VERSION: 'v2', SHUTDOWN_DELAY_SECONDS: '3' });
    const exited = once(s.child, 'exit');
    s.child.kill('SIGTERM');
    for (let i = 0; i < 250 && !/SIGTERM: not ready any more/.test(s.output()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await fetch(`${s.base}/readyz`)).status, 503);
    assert.equal((await fetch(`${s.base}/`)).status, 200);
    const [code] = await exited;
    assert.equal(code, 0);
    assert.match(s.output(), /SIGTERM: not ready any more; stopping in 3 s[\s\S]*stopped/);
  });

  it('refuses a wrong setting with one line and exit code 2', async () => {
    const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.equal(err.trim(), 'hello-app: PORT must be a port number, not "eighty"');
  });
});
