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

/**
 * How far a measured share may stray from the target before a traffic check fails (DESIGN §4:
 * "within 20% ± 8 points").
 */
export const SHARE_TOLERANCE = 0.08;

/**
 * Requests per canary traffic sample. With a correct 80/20 split each request is a Bernoulli
 * trial with p = 0.2, so the count of v2 answers is Binomial(n, 0.2). A correct setup fails when
 * the count leaves [0.12 n, 0.28 n]; for n = 300 that is k ≤ 35 or k ≥ 85, whose exact probability
 * is 0.00043 (binomialOutside below; a kit test recomputes it) — under 1 in 1,000. n = 200 would
 * fail 1 time in 284.
 */
export const CANARY_SAMPLE = 300;

/** P(X < lo or X > hi) for X ~ Binomial(n, p), summed exactly in log space. */
export function binomialOutside(n: number, p: number, lo: number, hi: number): number {
  const logFactorial = [0];
  for (let i = 1; i <= n; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
  let total = 0;
  for (let k = 0; k <= n; k++) {
    if (k >= lo && k <= hi) continue;
    total += Math.exp(logFactorial[n] - logFactorial[k] - logFactorial[n - k] + k * Math.log(p) + (n - k) * Math.log(1 - p));
  }
  return total;
}

/** The share of answered requests that came from `version`, and whether it is within tolerance. */
export function shareOf(p: TrafficProbe, version: string, target: number, tolerance = SHARE_TOLERANCE): { share: number; ok: boolean } {
  const share = p.requests > 0 ? (p.versions[version] ?? 0) / p.requests : 0;
  return { share, ok: p.requests > 0 && Math.abs(share - target) <= tolerance + 1e-9 };
}
