/**
 * The chance that a correct canary split fails its traffic check: the v2 count of n requests is
 * Binomial(n, 1/5), and P(k) = C(n, k) · 4^(n−k) / 5^n exactly, so the tail is a ratio of
 * integers (BigInt), summed over every k the graders' own rule (withinShare) rejects.
 */
import { withinShare } from '../../src/probes.js';

export function canaryFailureProbability(n: number): number {
  let total = 0n;
  let rejected = 0n;
  let binomial = 1n; // C(n, k)
  for (let k = 0; k <= n; k++) {
    if (k > 0) binomial = (binomial * BigInt(n - k + 1)) / BigInt(k);
    const weight = binomial * 4n ** BigInt(n - k);
    total += weight;
    if (!withinShare(k, n)) rejected += weight;
  }
  if (total !== 5n ** BigInt(n)) throw new Error('the binomial weights do not sum to 5^n');
  const scale = 10n ** 15n;
  return Number((rejected * scale) / total) / Number(scale);
}
