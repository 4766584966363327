/**
 * Reading live measurements (snapshot `probes`) for checks and their messages. A traffic sample
 * counts answers by `version`; a request that failed (an HTTP error, an answer without a version,
 * no answer) is not a version (ARCHITECTURE.md#failed-requests): any failed request fails a traffic
 * check, and the message says how many failed and with what.
 */
import { L, type Localized } from './i18n.js';
import type { TrafficProbe } from './snapshot.js';

export interface TrafficReading {
  requests: number;
  versions: Record<string, number>;
  answered: number;
  /** Requests without a version: `errors`, or what the answers do not account for. */
  failed: number;
  /** The failed requests by what they got ("HTTP 500" → 239), as far as the probe says. */
  failures: Record<string, number>;
}

/** What a traffic probe says, with its failures made explicit (older snapshots carry only errors and lastError). */
export function readTraffic(p: TrafficProbe): TrafficReading {
  const versions = p.versions ?? {};
  const answered = Object.values(versions).reduce((a, b) => a + b, 0);
  const failed = Math.max(p.errors ?? 0, p.requests - answered, 0);
  let failures: Record<string, number> = { ...(p.failures ?? {}) };
  const known = Object.values(failures).reduce((a, b) => a + b, 0);
  if (known < failed) {
    const rest = failed - known;
    // Only the last error is known: it names them all only when there is one.
    const last = typeof p.lastError === 'string' && p.lastError ? p.lastError : undefined;
    const why = last ? (rest === 1 ? last : `last: ${last}`) : 'not recorded';
    failures = { ...failures, [why]: (failures[why] ?? 0) + rest };
  }
  return { requests: p.requests, versions, answered, failed, failures };
}

/** "HTTP 500 239, HTTP 503 1" (most first) */
const describeFailures = (failures: Record<string, number>) =>
  Object.entries(failures)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([why, n]) => `${why} ${n}`)
    .join(', ');

/** "300 requests: v2 61, 239 failed (HTTP 500 239)" in both languages. */
export function describeTraffic(p: TrafficProbe): Localized {
  const t = readTraffic(p);
  const counts = Object.entries(t.versions)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([v, n]) => `${v} ${n}`);
  const failed = t.failed ? { ko: `실패 ${t.failed} (${describeFailures(t.failures)})`, en: `${t.failed} failed (${describeFailures(t.failures)})` } : undefined;
  const ko = [...counts, ...(failed ? [failed.ko] : [])];
  const en = [...counts, ...(failed ? [failed.en] : [])];
  return L(`요청 ${t.requests}개: ${ko.length ? ko.join(', ') : '응답 없음'}`, `${t.requests} requests: ${en.length ? en.join(', ') : 'no answers'}`);
}

/**
 * The hint for a sample with failed requests, by what they got: no rule for the request (404),
 * a backend that is not there (500), a backend without ready Pods (502/503), no answer at all.
 */
export function failedTrafficHint(...probes: TrafficProbe[]): Localized {
  const whys = probes.flatMap((p) => Object.keys(readTraffic(p).failures));
  const parts: Localized[] = [L('실패한 요청은 어떤 버전도 아닙니다. 요청이 실패한 까닭부터 고치세요:', 'A request that failed is not a version of the app. Fix why requests failed:')];
  if (whys.some((w) => w.startsWith('HTTP 404'))) parts.push(L('HTTP 404는 요청에 맞는 HTTPRoute 규칙이 없다는 뜻입니다(호스트 이름, 경로, 게이트웨이가 받아들였는지).', 'HTTP 404 means no HTTPRoute rule matches the request (its hostname, its path, whether the gateway accepted the route).'));
  if (whys.some((w) => w.startsWith('HTTP 500'))) parts.push(L('HTTP 500은 규칙의 backendRefs가 없는 Service를 가리키거나 모든 가중치가 0이라는 뜻입니다.', 'HTTP 500 means a rule\'s backendRefs name a Service that does not exist, or every weight is 0.'));
  if (whys.some((w) => /^HTTP 50[23]/.test(w))) parts.push(L('HTTP 502/503은 Service 뒤에 준비된 Pod가 없다는 뜻입니다(이미지, readinessProbe, 셀렉터를 보세요).', 'HTTP 502/503 means a Service has no ready Pods behind it (check the image, the readinessProbe, the selector).'));
  if (whys.some((w) => w.startsWith('no answer'))) parts.push(L('응답 없음은 게이트웨이에 닿지 못했거나 시간이 넘었다는 뜻입니다(`npm run status`).', 'No answer means the gateway could not be reached or timed out (`npm run status`).'));
  if (parts.length === 1) parts.push(L('버전이 담긴 응답을 받지 못한 요청입니다.', 'They got no answer with a version.'));
  return L(parts.map((p) => p.ko).join(' '), parts.map((p) => p.en).join(' '));
}

/** Did any request of these samples fail? */
export const anyFailed = (...probes: TrafficProbe[]): boolean => probes.some((p) => readTraffic(p).failed > 0);

/** A canary's share of traffic, and how far a sample may stray from it (ARCHITECTURE.md#canary-share). */
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
