/**
 * Waiting for readiness: poll a condition until it holds or a deadline passes, never a fixed sleep.
 * The pause between two polls is the only timer, and it never outlasts the deadline. `waitFor` is for
 * what must become ready (`up`'s services, a Jenkins build): past the deadline it fails, saying what
 * it last saw. `poll` is the loop itself, for a caller that goes on with the last answer instead
 * (`npm test` grades the state as it is once LAB_WAIT has passed).
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

/** One look at the condition: whether it holds, the value it gives, and what was seen (for a timeout's message). */
export interface Answer<T> {
  done: boolean;
  value?: T;
  seen?: string;
}

export interface PollOptions<T> {
  timeoutMs: number;
  intervalMs?: number;
  /** Called before each pause, with the answer that did not hold and the time left. */
  onPending?: (answer: Answer<T>, leftMs: number) => void;
  /** For tests: the clock and the pause. */
  now?: () => number;
  pause?: (ms: number) => Promise<void>;
}

export interface WaitOptions<T = unknown> extends PollOptions<T> {
  /** What is waited for, as a timeout's message names it. */
  what: string;
}

const realPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Asks `check` until it is done or the deadline has passed (it is asked at least once), and returns
 * its last answer, with `seen` the last thing it reported seeing.
 */
export async function poll<T>(check: () => Promise<Answer<T>>, options: PollOptions<T>): Promise<Answer<T>> {
  const now = options.now ?? Date.now;
  const pause = options.pause ?? realPause;
  const interval = options.intervalMs ?? 2000;
  const deadline = now() + options.timeoutMs;
  let seen: string | undefined;
  for (;;) {
    const answer = await check();
    seen = answer.seen ?? seen;
    if (answer.done) return { ...answer, seen };
    const left = deadline - now();
    if (left <= 0) return { ...answer, seen };
    options.onPending?.(answer, left);
    await pause(Math.min(interval, left));
  }
}

/**
 * Polls `check` until it returns `{ done: true, value }`. `check` reports what it saw each time, so a
 * timeout can name it.
 */
export async function waitFor<T>(check: () => Promise<Answer<T>>, options: WaitOptions<T>): Promise<T> {
  const last = await poll(check, options);
  if (!last.done) throw new DeadlineExceeded(options.what, Math.round(options.timeoutMs / 1000), last.seen ?? '');
  return last.value as T;
}
