/**
 * Traffic sampling through the gateway: N GET requests to a lab's host, counted by the
 * `version` field of hello-app's JSON answer (`{version, color, host}`). A request that gets no
 * such answer (refused, timeout, non-2xx, not JSON) counts under `errors`.
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
  let errors = 0;
  let refused = 0;
  let lastError = '';
  let remaining = spec.requests;
  const worker = async () => {
    while (remaining > 0) {
      remaining--;
      try {
        const res = await request(url, { headers: { accept: 'application/json', ...spec.headers, host: spec.host }, timeoutMs: 5_000 });
        const version = res.status >= 200 && res.status < 300 ? (JSON.parse(res.body) as { version?: unknown }).version : undefined;
        if (typeof version === 'string') versions[version] = (versions[version] ?? 0) + 1;
        else (errors++, (lastError = `HTTP ${res.status}`));
      } catch (error) {
        errors++;
        if (error instanceof NetworkError) (refused++, (lastError = error.reason));
        else lastError = (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 5, spec.requests) }, worker));
  if (refused === spec.requests) throw new GatewayUnreachable(`cannot reach the gateway at ${url}: ${lastError}; is the platform up? (\`npm run status\`)`);
  const probe: TrafficProbe = { requests: spec.requests, versions };
  if (errors) (probe.errors = errors), (probe.lastError = lastError);
  return probe;
}
