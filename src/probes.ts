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
