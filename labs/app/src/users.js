// Simulated users: a steady stream of GET / requests, the way real users keep a service busy, so
// that a canary has traffic to be judged on. Lab l4-rollouts-analysis runs it as Deployment `users`,
// sending through the gateway. Every REPORT_SECONDS it logs what answered: each version, and the
// failed requests by what they got.
//
//   node src/users.js
//
//   TARGET_URL            where to send (default http://127.0.0.1:8080/)
//   TARGET_HOST           the Host header to send, for a gateway that routes by it (default: the URL's)
//   REQUESTS_PER_SECOND   how many requests a second (default 5)
//   REPORT_SECONDS        how often to log what answered (default 10)
import { request } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Read and check the settings; a wrong value is an error that names the variable. */
export function readUsersConfig(env = process.env) {
  const url = new URL(env.TARGET_URL || 'http://127.0.0.1:8080/');
  if (url.protocol !== 'http:') throw new Error(`TARGET_URL must be an http:// address, not "${env.TARGET_URL}"`);
  const number = (name, fallback) => {
    const value = Number(env[name] || fallback);
    if (!(value > 0)) throw new Error(`${name} must be a number above 0, not "${env[name]}"`);
    return value;
  };
  return { url, host: env.TARGET_HOST || url.host, perSecond: number('REQUESTS_PER_SECOND', 5), reportSeconds: number('REPORT_SECONDS', 10) };
}

/** One GET /: resolves to the version that answered, or to why none did ("HTTP 500", "no answer"). */
export function visit(url, host, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = request(url, { headers: { host, accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        let version;
        try {
          version = JSON.parse(body).version;
        } catch {
          version = undefined;
        }
        resolve(res.statusCode === 200 && version ? { version } : { failure: `HTTP ${res.statusCode}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve({ failure: 'no answer' }));
    req.end();
  });
}

/** "50 requests: v1 40, v2 10; failed: HTTP 500 3" */
export function describeCounts(counts) {
  const part = (map) => Object.entries(map).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
  const total = [...Object.values(counts.versions), ...Object.values(counts.failures)].reduce((a, b) => a + b, 0);
  return `${total} requests: ${part(counts.versions) || 'none answered'}${Object.keys(counts.failures).length ? `; failed: ${part(counts.failures)}` : ''}`;
}

/** Send requests at the configured rate and log a summary every reportSeconds; returns stop(). */
export function run(config, log = console.log) {
  let counts = { versions: {}, failures: {} };
  const send = setInterval(async () => {
    const answer = await visit(config.url, config.host);
    const [map, key] = answer.version ? [counts.versions, answer.version] : [counts.failures, answer.failure];
    map[key] = (map[key] ?? 0) + 1;
  }, 1000 / config.perSecond);
  const report = setInterval(() => {
    log(`${new Date().toISOString()} last ${config.reportSeconds} s: ${describeCounts(counts)}`);
    counts = { versions: {}, failures: {} };
  }, config.reportSeconds * 1000);
  return () => {
    clearInterval(send);
    clearInterval(report);
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let config;
  try {
    config = readUsersConfig();
  } catch (error) {
    console.error(`users: ${error.message}`);
    process.exit(2);
  }
  console.log(`users: ${config.perSecond} requests a second to ${config.url} (Host: ${config.host})`);
  const stop = run(config);
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stop(), process.exit(0)));
}
