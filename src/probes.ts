/** Reading live measurements (snapshot `probes`) for check messages. */
import type { TrafficProbe } from './snapshot.js';

/** "50 requests: v1 20, v2 30, 2 errors (HTTP 503)" */
export function describeTraffic(p: TrafficProbe): string {
  const counts = Object.entries(p.versions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([v, n]) => `${v} ${n}`);
  if (p.errors) counts.push(`${p.errors} errors${p.lastError ? ` (${p.lastError})` : ''}`);
  return `${p.requests} requests: ${counts.length ? counts.join(', ') : 'no answers'}`;
}

/** A canary's share of traffic, and how far a sample may stray from it (DESIGN §4: 20% ± 8 points). */
export const CANARY_PERCENT = 20;
export const TOLERANCE_POINTS = 8;

/**
 * Requests per canary traffic sample (s4-canary, l4-rollouts-canary). With a correct 80/20 split
 * each answer is v2 with probability 0.2, so the count of v2 is Binomial(300, 0.2); it falls
 * outside 20% ± 8 points (36..84 of 300) with probability 0.00043 — a correct setup fails less
 * than 1 time in 2,000 (200 requests would fail 3.5 times in 1,000). test/lib/stats.ts computes
 * that tail exactly from withinShare, and the kit tests of both labs assert it.
 */
export const CANARY_SAMPLE = 300;

/** Is `v2` out of `requests` within 20% ± 8 points? Integer arithmetic, so 28.0% is in and 28.3% out. */
export function withinShare(v2: number, requests: number): boolean {
  return requests > 0 && Math.abs(100 * v2 - CANARY_PERCENT * requests) <= TOLERANCE_POINTS * requests;
}

/** "23.3%" */
export const percent = (part: number, whole: number) => `${whole ? Math.round((1000 * part) / whole) / 10 : 0}%`;
