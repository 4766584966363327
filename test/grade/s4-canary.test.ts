/**
 * Grader of s4-canary: a Gateway API canary. HTTPRoute `web` splits traffic between
 * Services web-stable (v1) and web-canary (v2) by relative weights, and a rule matching the header
 * `X-Canary: always` sends those requests to the canary only. Traffic is sampled through the
 * gateway at s4-canary.localhost, with and without the header.
 *
 * The route checks evaluate the requests the traffic probes send (GET / on the lab's host, with and
 * without the header) the way the gateway does — src/kube/gateway.ts follows the Gateway API spec:
 * all conditions of one match hold together, a rule's matches are ORed, precedence across rules —
 * and say which rule each request gets, and why a rule meant for it did not take it.
 */
import { fail, firstFailure, pass, type Outcome } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { podVersion, readyPodsOf } from '../../src/kube/endpoints.js';
import { readPodVersion } from '../../src/kube/objects.js';
import { conflictHint } from '../../src/kube/workload-checks.js';
import { activeShares, describeHit, describeRequest, nearMisses, routeConditionLines, routeRequest, type RouteRequest } from '../../src/kube/gateway.js';
import { labHost } from '../../src/platform.js';
import { anyFailed, CANARY_PERCENT, CANARY_SAMPLE, describeTraffic, failedTrafficHint, percent, TOLERANCE_POINTS, withinShare } from '../../src/probes.js';
import type { TrafficProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 's4-canary';
const HOST = labHost(NS);
const TRAFFIC = 'traffic/s4-canary';
const TRAFFIC_HEADER = 'traffic/s4-canary/header';
const HEADER = { name: 'X-Canary', value: 'always' };

/** With the header every answer must be v2: no chance involved, so a small sample does. */
export const HEADER_SAMPLE = 20;

/** The requests the traffic probes send, which the route checks evaluate the way the gateway does. */
const PLAIN: RouteRequest = { host: HOST, method: 'GET', path: '/' };
const WITH_HEADER: RouteRequest = { ...PLAIN, headers: { [HEADER.name]: HEADER.value } };

const route = (s: LabState) => s.must('HTTPRoute', NS, 'web');
/** Does a match mention the header (by name, case-insensitively)? */
const mentionsHeader = (m: any) => (m.headers ?? []).some((h: any) => String(h.name).toLowerCase() === HEADER.name.toLowerCase());

function backend(s: LabState, service: string, version: string): Outcome {
  const expected = L(`${service}: 준비된 엔드포인트 1개 이상, 모두 ${version}`, `${service}: at least 1 ready endpoint, all ${version}`);
  s.must('Service', NS, service);
  const pods = readyPodsOf(s, NS, service);
  const versions = pods.map((p) => podVersion(p) ?? '?');
  const counts = Object.entries(versions.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {}))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  const observed = pods.length ? L(`${service}: 준비된 엔드포인트 ${pods.length}개 (${counts})`, `${service}: ${pods.length} ready (${counts})`) : L(`${service}: 준비된 엔드포인트 없음`, `${service}: no ready endpoints`);
  if (!pods.length || versions.some((v) => v !== version)) {
    const deployment = service; // the labs name each Deployment after its Service
    const conflict = pods.some((p) => readPodVersion(p).conflict);
    return fail(expected, observed, { hint: conflict ? conflictHint : undefined, evidence: [...s.warnings(NS, 'Deployment', deployment), ...s.list('Pod', NS).flatMap((p) => s.warnings(NS, 'Pod', p.metadata.name))].slice(0, 5) });
  }
  return pass(observed);
}

export default defineGrader({
  lab: 's4-canary',
  needs: {
    kubernetes: [{ kinds: ['HTTPRoute', 'Service', 'EndpointSlice', 'Pod', 'Deployment', 'Event'], namespaces: [NS] }],
    probes: {
      [TRAFFIC]: { type: 'traffic', host: HOST, requests: CANARY_SAMPLE },
      [TRAFFIC_HEADER]: { type: 'traffic', host: HOST, headers: { [HEADER.name]: HEADER.value }, requests: HEADER_SAMPLE },
    },
  },
  checks: {
    backends: (s) =>
      firstFailure(
        () => backend(s, 'web-stable', 'v1'),
        () => backend(s, 'web-canary', 'v2'),
      ),

    weight: (s) => {
      const expected = L(`헤더 없는 요청이 가는 규칙: web-canary가 가중치의 ${CANARY_PERCENT}% (예: 80/20, 4/1)`, `the rule requests without the header get: web-canary ${CANARY_PERCENT}% of the weight (e.g. 80/20, 4/1)`);
      const r = route(s);
      const hit = routeRequest([r], PLAIN);
      if (!hit) return fail(expected, L(`${describeRequest(PLAIN)}에 맞는 규칙 없음(게이트웨이는 404로 답함)`, `no rule matches ${describeRequest(PLAIN)} (the gateway answers 404)`));
      const backends = activeShares(hit.rule);
      const total = backends.reduce((sum, b) => sum + b.weight, 0);
      const canary = backends.filter((b) => b.service === 'web-canary').reduce((sum, b) => sum + b.weight, 0);
      const observed = `${describeRequest(PLAIN)} → ${describeHit(hit)} (web-canary ${percent(canary, total)})`;
      if (total > 0 && 100 * canary === CANARY_PERCENT * total) return pass(observed);
      // A plain request caught by the header rule: one of its matches has no header condition.
      const caught = (hit.rule.matches ?? []).some(mentionsHeader);
      return fail(expected, observed, {
        hint: caught
          ? L(
              `헤더 규칙의 match 중 헤더 조건이 없는 것이 모든 요청을 받습니다. 한 규칙의 match들은 OR입니다: 그 규칙의 match마다 ${HEADER.name} 조건을 두세요.`,
              `One of the header rule's matches has no header condition, so it takes every request: a rule's matches are ORed. Give each of its matches the ${HEADER.name} condition.`,
            )
          : undefined,
      });
    },

    header: (s) => {
      const expected = L(`${HEADER.name}: ${HEADER.value} 헤더가 있는 요청 → web-canary로만`, `requests with ${HEADER.name}: ${HEADER.value} → web-canary only`);
      const r = route(s);
      const hit = routeRequest([r], WITH_HEADER);
      const misses = nearMisses(r, WITH_HEADER, mentionsHeader, hit);
      const why = misses.length ? `; ${misses.join('; ')}` : '';
      if (!hit) return fail(expected, L(`${describeRequest(WITH_HEADER)}에 맞는 규칙 없음(게이트웨이는 404로 답함)${why}`, `no rule matches ${describeRequest(WITH_HEADER)} (the gateway answers 404)${why}`));
      const backends = activeShares(hit.rule);
      const observed = `${describeRequest(WITH_HEADER)} → ${describeHit(hit)}${why}`;
      const ok = backends.length > 0 && backends.every((b) => b.service === 'web-canary') && mentionsHeader(hit.match);
      if (ok) return pass(observed);
      return fail(expected, observed, {
        hint: !mentionsHeader(hit.match) && misses.length
          ? L(
              `하나의 match 안의 조건은 모두 맞아야 합니다(AND). ${HEADER.name} 헤더만 가진 요청도 맞도록 그 규칙의 match에서 다른 조건을 빼거나 따로 match를 두세요. 한 규칙의 match들은 그중 하나만 맞으면 됩니다(OR).`,
              `All conditions of one match must hold together (AND). Let a request that only carries ${HEADER.name} match: drop the other conditions from that match, or give the rule a match of its own — any one of a rule's matches is enough (OR).`,
            )
          : undefined,
      });
    },

    traffic: (s) => {
      const expected = L(
        `헤더 없이: v2가 ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS}%p; 헤더가 있으면: 모두 v2`,
        `without the header: v2 ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS} points; with it: all v2`,
      );
      const plain = s.probe<TrafficProbe>(TRAFFIC);
      const withHeader = s.probe<TrafficProbe>(TRAFFIC_HEADER);
      const v2 = plain.versions.v2 ?? 0;
      const headerV2 = withHeader.versions.v2 ?? 0;
      const [p, h] = [describeTraffic(plain), describeTraffic(withHeader)];
      const observed = L(
        `헤더 없이 ${p.ko} (v2 ${percent(v2, plain.requests)}); 헤더와 함께 ${h.ko}`,
        `without the header ${p.en} (v2 ${percent(v2, plain.requests)}); with it ${h.en}`,
      );
      const evidence = routeConditionLines(s.get('HTTPRoute', NS, 'web'));
      if (anyFailed(plain, withHeader)) return fail(expected, observed, { evidence, hint: failedTrafficHint(plain, withHeader) });
      const ok = withinShare(v2, plain.requests) && withHeader.requests > 0 && headerV2 === withHeader.requests;
      return ok ? pass(observed) : fail(expected, observed, { evidence });
    },
  },
});
