/**
 * Waiting for readiness: poll a condition until it holds or a deadline passes, then say what was
 * still not ready (STYLE.md: "wait for readiness, never sleep"). The pause between two polls is the
 * only timer, and it never outlasts the deadline.
 */
export class DeadlineExceeded extends Error {
  constructor(
    readonly what: string,
    readonly seconds: number,
    readonly last: string,
  ) {
    super(`${what}: not ready after ${seconds}s${last ? ` (last seen: ${last})` : ''}`);
    this.name = 'DeadlineExceeded';
  }
}

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** For tests: the clock and the pause. */
  now?: () => number;
  pause?: (ms: number) => Promise<void>;
}

const realPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns `{ done: true, value }`. `check` reports what it saw each time, so a
 * timeout can name it.
 */
export async function waitFor<T>(check: () => Promise<{ done: boolean; value?: T; seen?: string }>, options: WaitOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const pause = options.pause ?? realPause;
  const interval = options.intervalMs ?? 2000;
  const deadline = now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const r = await check();
    if (r.done) return r.value as T;
    last = r.seen ?? last;
    const left = deadline - now();
    if (left <= 0) throw new DeadlineExceeded(options.what, Math.round(options.timeoutMs / 1000), last);
    await pause(Math.min(interval, left));
  }
}
