/**
 * Traffic sampling through the gateway: N GET requests to a lab's host, counted by the
 * `version` field of hello-app's JSON answer (`{version, color, host}`). A request that gets no
 * such answer (refused, timeout, non-2xx, not JSON) is not a version: it counts under `errors`,
 * and under `failures` by what it got instead ("HTTP 500", "not JSON", "no answer (…)"), so that
 * a check can say how many failed and how.
 */
import { NetworkError, request } from '../http.js';
import { gatewayUrl } from '../platform.js';
import type { TrafficProbeSpec } from '../needs.js';
import type { TrafficProbe } from '../snapshot.js';

export class GatewayUnreachable extends Error {}

/** `baseUrl` is where the gateway answers (default: the platform's, from the host). */
export async function sampleTraffic(spec: TrafficProbeSpec, options: { baseUrl?: string; concurrency?: number } = {}): Promise<TrafficProbe> {
  const url = `${options.baseUrl ?? gatewayUrl(spec.host)}${spec.path ?? '/'}`;
  const versions: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const failed = (why: string) => ((failures[why] = (failures[why] ?? 0) + 1), (lastError = why), errors++);
  let errors = 0;
  let refused = 0;
  let lastError = '';
  let unreachable = '';
  let remaining = spec.requests;
  const worker = async () => {
    while (remaining > 0) {
      remaining--;
      try {
        const res = await request(url, { headers: { accept: 'application/json', ...spec.headers, host: spec.host }, timeoutMs: 5_000 });
        if (res.status < 200 || res.status >= 300) {
          failed(`HTTP ${res.status}`);
          continue;
        }
        let version: unknown;
        try {
          version = (JSON.parse(res.body) as { version?: unknown }).version;
        } catch {
          version = undefined;
        }
        if (typeof version === 'string') versions[version] = (versions[version] ?? 0) + 1;
        else failed(`HTTP ${res.status}, no version in the answer`);
      } catch (error) {
        if (error instanceof NetworkError) (refused++, (unreachable = error.reason), failed(`no answer (${error.reason})`));
        else failed(`no answer (${(error as Error).message})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 5, spec.requests) }, worker));
  if (refused === spec.requests) throw new GatewayUnreachable(`cannot reach the gateway at ${url}: ${unreachable}; is the platform up? (\`npm run status\`)`);
  const probe: TrafficProbe = { requests: spec.requests, versions };
  if (errors) (probe.errors = errors), (probe.lastError = lastError), (probe.failures = failures);
  return probe;
}
