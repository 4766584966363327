/**
 * Something the kit tests build that several test files need (the docs site, the snapshot of every
 * lab solved), built by one worker while the others wait, instead of by each of them at the same
 * time. The workers are processes (vitest.kit.config.ts pool "forks"), so they agree through a
 * lock folder: made atomically by the one that builds, taken over when its holder has gone.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * `ready()` says whether it is built (and gives the result); otherwise the first to take `lock`
 * runs `build()`, and the others wait for `ready()` (up to `timeoutMs`).
 */
export async function buildOnce<T>(lock: string, ready: () => T | undefined, build: () => Promise<T>, timeoutMs = 10 * 60_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const done = ready();
    if (done !== undefined) return done;
    try {
      mkdirSync(lock);
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // just made, its pid not written yet
      }
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`what another test worker is building (${lock}) was not ready within ${timeoutMs / 60_000} minutes`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      const again = ready();
      return again !== undefined ? again : await build();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
