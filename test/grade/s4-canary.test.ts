/**
 * Grader of s4-canary: a Gateway API canary (DESIGN §4). HTTPRoute `web` splits traffic between
 * Services web-stable (v1) and web-canary (v2) by relative weights, and a rule matching the header
 * `X-Canary: always` sends those requests to the canary only. Traffic is sampled through the
 * gateway at s4-canary.localhost, with and without the header.
 *
 * HTTPRoute (gateway.networking.k8s.io/v1): `spec.rules[].matches[].headers[]` {type (default
 * Exact), name (case-insensitive), value}; `spec.rules[].backendRefs[].weight` (default 1, relative;
 * 0 sends nothing); `status.parents[].conditions` Accepted / ResolvedRefs
 * (https://gateway-api.sigs.k8s.io/reference/spec/#httproute).
 */
import { fail, firstFailure, pass, type Outcome } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { podVersion, readyPodsOf } from '../../src/kube/endpoints.js';
import { describeShares, ruleShares } from '../../src/kube/gateway.js';
import { labHost } from '../../src/platform.js';
import { CANARY_PERCENT, CANARY_SAMPLE, describeTraffic, percent, TOLERANCE_POINTS, withinShare } from '../../src/probes.js';
import type { KubeObject, TrafficProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 's4-canary';
const HOST = labHost(NS);
const TRAFFIC = 'traffic/s4-canary';
const TRAFFIC_HEADER = 'traffic/s4-canary/header';
const HEADER = { name: 'X-Canary', value: 'always' };

/** With the header every answer must be v2: no chance involved, so a small sample does. */
export const HEADER_SAMPLE = 20;

const notFound = (what: string) => L(`${what} 없음`, `${what} not found`);

const route = (s: LabState) => s.get('HTTPRoute', NS, 'web');
const rulesOf = (r: KubeObject): any[] => r.spec?.rules ?? [];
/** Backends that receive traffic: weight absent means 1, weight 0 means none. */
const active = (rule: any) => ruleShares(rule).filter((b) => b.weight > 0);
const describeBackends = (rule: any) => describeShares(active(rule));
const matchesAllPaths = (m: any) => !m.path || ((m.path.type ?? 'PathPrefix') === 'PathPrefix' && (m.path.value ?? '/') === '/');
const headerMatch = (h: any) => (h.type ?? 'Exact') === 'Exact' && String(h.name).toLowerCase() === HEADER.name.toLowerCase() && h.value === HEADER.value;

/** The rule every request without the header lands on: a match on all paths with no header condition. */
function defaultRule(r: KubeObject): { rule: any; index: number } | undefined {
  const index = rulesOf(r).findIndex((rule) => (rule.matches?.length ? rule.matches : [{}]).some((m: any) => !m.headers?.length && !m.queryParams?.length && !m.method && matchesAllPaths(m)));
  return index < 0 ? undefined : { rule: rulesOf(r)[index], index };
}

/** The route's status from each Gateway: "Accepted=False (NoMatchingParent: …)" lines. */
function routeStatus(r: KubeObject | undefined): string[] {
  return (r?.status?.parents ?? []).flatMap((p: any) =>
    (p.conditions ?? []).filter((c: any) => c.status !== 'True').map((c: any) => `HTTPRoute web, parent ${p.parentRef?.namespace ?? NS}/${p.parentRef?.name}: ${c.type}=${c.status} (${c.reason}: ${c.message})`),
  );
}

function backend(s: LabState, service: string, version: string): Outcome {
  const expected = L(`${service}: 준비된 엔드포인트 1개 이상, 모두 ${version}`, `${service}: at least 1 ready endpoint, all ${version}`);
  if (!s.get('Service', NS, service)) return fail(expected, notFound(`Service ${service}`));
  const pods = readyPodsOf(s, NS, service);
  const versions = pods.map((p) => podVersion(p) ?? '?');
  const counts = Object.entries(versions.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {}))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  const observed = pods.length ? L(`${service}: 준비된 엔드포인트 ${pods.length}개 (${counts})`, `${service}: ${pods.length} ready (${counts})`) : L(`${service}: 준비된 엔드포인트 없음`, `${service}: no ready endpoints`);
  if (!pods.length || versions.some((v) => v !== version)) {
    const deployment = service; // the labs name each Deployment after its Service
    return fail(expected, observed, { evidence: [...s.warnings(NS, 'Deployment', deployment), ...s.list('Pod', NS).flatMap((p) => s.warnings(NS, 'Pod', p.metadata.name))].slice(0, 5) });
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
      const expected = L(`헤더 조건 없는 규칙: web-canary가 가중치의 ${CANARY_PERCENT}% (예: 80/20, 4/1)`, `the rule without a header match: web-canary ${CANARY_PERCENT}% of the weight (e.g. 80/20, 4/1)`);
      const r = route(s);
      if (!r) return fail(expected, notFound('HTTPRoute web'));
      const found = defaultRule(r);
      if (!found) return fail(expected, L('모든 경로에 헤더 조건 없이 맞는 규칙이 없음', 'no rule matches all paths without a header condition'));
      const backends = active(found.rule);
      const total = backends.reduce((sum, b) => sum + b.weight, 0);
      const canary = backends.filter((b) => b.service === 'web-canary').reduce((sum, b) => sum + b.weight, 0);
      const observed = `rule ${found.index + 1}: ${describeBackends(found.rule)} (web-canary ${percent(canary, total)})`;
      return total > 0 && 100 * canary === CANARY_PERCENT * total ? pass(observed) : fail(expected, observed);
    },

    header: (s) => {
      const expected = L(`헤더 ${HEADER.name}: ${HEADER.value}를 정확히 일치로 고르는 규칙 → web-canary로만`, `a rule matching ${HEADER.name}: ${HEADER.value} exactly → web-canary only`);
      const r = route(s);
      if (!r) return fail(expected, notFound('HTTPRoute web'));
      const index = rulesOf(r).findIndex((rule) => (rule.matches ?? []).some((m: any) => (m.headers ?? []).some(headerMatch) && matchesAllPaths(m)));
      if (index < 0) return fail(expected, L(`헤더 ${HEADER.name}: ${HEADER.value}를 고르는 규칙 없음`, `no rule matches the header ${HEADER.name}: ${HEADER.value}`));
      const rule = rulesOf(r)[index];
      const backends = active(rule);
      const observed = `rule ${index + 1}: ${HEADER.name}: ${HEADER.value} → ${describeBackends(rule)}`;
      return backends.length > 0 && backends.every((b) => b.service === 'web-canary') ? pass(observed) : fail(expected, observed);
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
      const observed = L(
        `헤더 없이 ${describeTraffic(plain)} (v2 ${percent(v2, plain.requests)}); 헤더와 함께 ${describeTraffic(withHeader)}`,
        `without the header ${describeTraffic(plain)} (v2 ${percent(v2, plain.requests)}); with it ${describeTraffic(withHeader)}`,
      );
      const ok = withinShare(v2, plain.requests) && withHeader.requests > 0 && headerV2 === withHeader.requests;
      return ok ? pass(observed) : fail(expected, observed, { evidence: routeStatus(route(s)) });
    },
  },
});
