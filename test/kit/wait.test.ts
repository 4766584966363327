/**
 * Waiting with a deadline (src/wait.ts): `waitFor` for what must become ready, `poll` for what goes
 * on with the last answer — as `npm test` does, re-collecting a live state while checks fail until
 * LAB_WAIT has passed (src/engine.ts `collectUntilSettled`). Clocks and pauses are the tests' own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { collectUntilSettled, type Grader } from '../../src/engine.js';
import { fail, pass } from '../../src/checks.js';
import { waitForOk } from '../../src/http.js';
import type { Snapshot } from '../../src/snapshot.js';
import { DeadlineExceeded, poll, waitFor } from '../../src/wait.js';

/** A clock that moves only when paused (and by `step` per look), and the pauses it was asked for. */
function testClock(step = 0) {
  let now = 0;
  const pauses: number[] = [];
  return { pauses, now: () => (now += step), pause: async (ms: number) => void (pauses.push(ms), (now += ms)) };
}

describe('waiting with a deadline', () => {
  it('returns as soon as the condition holds, pausing only between polls', async () => {
    let polls = 0;
    const pauses: number[] = [];
    const value = await waitFor(async () => (++polls < 3 ? { done: false, seen: `poll ${polls}` } : { done: true, value: 'ready' }), { what: 'x', timeoutMs: 60_000, intervalMs: 500, now: () => 0, pause: async (ms) => void pauses.push(ms) });
    expect(value).toBe('ready');
    expect(pauses).toEqual([500, 500]);
  });

  it('fails at the deadline with what it last saw, never pausing past it', async () => {
    const clock = testClock();
    let polls = 0;
    const error = (await waitFor(async () => ({ done: false, seen: ++polls === 1 ? 'starting' : undefined }), { what: 'the thing', timeoutMs: 5000, intervalMs: 2000, ...clock }).catch((e) => e)) as DeadlineExceeded;
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(error.message).toBe('the thing: not ready after 5s (last seen: starting)');
    expect(clock.pauses).toEqual([2000, 2000, 1000]);
  });

  it('poll gives the last answer at the deadline instead of failing, and says each time it goes on waiting', async () => {
    const clock = testClock();
    const pending: [number, number][] = [];
    let polls = 0;
    const last = await poll(async () => ({ done: false, value: ++polls }), { timeoutMs: 3000, intervalMs: 1000, onPending: (a, left) => pending.push([a.value!, left]), ...clock });
    expect(last).toEqual({ done: false, value: 4, seen: undefined });
    expect(pending).toEqual([[1, 3000], [2, 2000], [3, 1000]]);
    // A deadline of 0 looks once.
    expect(await poll(async () => ({ done: false, value: 'once' }), { timeoutMs: 0, ...testClock() })).toMatchObject({ value: 'once' });
  });
});

describe('npm test on a live cluster: re-collect while checks fail, until LAB_WAIT has passed', () => {
  // s1-recreate's two checks; `strategy` passes once the collected state says so.
  const grader = (): Grader => ({
    lab: 's1-recreate',
    needs: {},
    checks: {
      strategy: (s) => (s.snapshot.probes?.settled ? pass() : fail('Recreate', 'RollingUpdate')),
      updated: () => pass(),
    },
  });
  const states = (settledFrom: number) => {
    let n = 0;
    return async (): Promise<Snapshot> => ({ kind: 'CicdLabSnapshot', version: 1, capturedAt: new Date().toISOString(), context: 'kind-cicd-lab', kubernetes: [], probes: { collected: ++n, ...(n >= settledFrom ? { settled: true } : {}) } });
  };

  it('collects again while a check fails, telling how many fail and how long it will still wait, and grades the state once it passes', async () => {
    const clock = testClock();
    const retries: [number, number][] = [];
    const { snapshot, results } = await collectUntilSettled([grader()], { waitSeconds: 15, intervalSeconds: 3, collect: states(3), onRetry: (f, left) => retries.push([f, left]), ...clock });
    expect(snapshot.probes).toEqual({ collected: 3, settled: true });
    expect(results[0].checks.map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(retries).toEqual([[1, 15], [1, 12]]);
    expect(clock.pauses).toEqual([3000, 3000]);
  });

  it('past LAB_WAIT grades the last state as it is; LAB_WAIT=0 collects once', async () => {
    const late = await collectUntilSettled([grader()], { waitSeconds: 5, intervalSeconds: 3, collect: states(99), ...testClock() });
    expect(late.snapshot.probes).toEqual({ collected: 3 });
    expect(late.results[0].checks.map((c) => c.status)).toEqual(['fail', 'pass']);
    const once = await collectUntilSettled([grader()], { waitSeconds: 0, collect: states(99), ...testClock() });
    expect(once.snapshot.probes).toEqual({ collected: 1 });
  });
});

describe('waiting for a service behind the gateway (src/http.ts waitForOk, as up waits for Gitea and Jenkins)', () => {
  it('asks until GET answers 200, and at the deadline names the last answer', async () => {
    let asked = 0;
    const server = createServer((req, res) => {
      asked++;
      res.statusCode = req.url === '/login' && asked >= 3 ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clock = testClock();
    try {
      await waitForOk(`${base}/login`, { what: 'Jenkins', timeoutMs: 60_000, intervalMs: 10, now: clock.now, pause: clock.pause });
      expect(asked).toBe(3);
      const error = await waitForOk(`${base}/api/v1/version`, { what: 'Gitea', timeoutMs: 30, intervalMs: 10, now: clock.now, pause: clock.pause }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeadlineExceeded);
      expect((error as DeadlineExceeded).last).toBe('GET /api/v1/version → 503');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const refused = await waitForOk(`${base}/login`, { what: 'Jenkins', timeoutMs: 10, intervalMs: 10, now: clock.now, pause: clock.pause }).catch((e: unknown) => e);
    expect((refused as DeadlineExceeded).last).toMatch(/ECONNREFUSED|refused/i);
  });
});
