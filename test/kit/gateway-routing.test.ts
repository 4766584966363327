/**
 * src/kube/gateway.ts routes a request the way the Gateway API spec says an implementation must
 * (kubernetes-sigs/gateway-api v1.6.1, apis/v1/httproute_types.go: HTTPRouteRule.Matches,
 * HTTPRouteMatch, HTTPPathMatch, HTTPHeaderMatch, HTTPQueryParamMatch). Each case below is a
 * sentence of that spec; the route checks of s4-canary and l4-rollouts-canary and the kit's
 * simulated gateway all ask this module.
 */
import { describe, expect, it } from 'vitest';
import { describeMatch, nearMisses, routeRequest, unmetConditions, type RouteRequest } from '../../src/kube/gateway.js';
import type { KubeObject } from '../../src/snapshot.js';

let seq = 0;
const route = (rules: any[], more: Partial<KubeObject['metadata']> = {}, hostnames?: string[]): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: `r${++seq}`, namespace: 'ns', creationTimestamp: '2026-11-26T12:00:00Z', ...more },
  spec: { hostnames, rules },
});
const to = (name: string) => [{ name, port: 80 }];
/** Which backend a request gets: the first backend of the rule it lands on, or 404. */
const lands = (routes: KubeObject[], req: RouteRequest) => {
  const hit = routeRequest(routes, req);
  return hit ? hit.rule.backendRefs[0].name : 404;
};

describe('one match: every condition must hold (they are ANDed)', () => {
  // The spec's own example: path /foo AND header version: v2, OR path /v2/foo.
  const r = route([
    { matches: [{ path: { type: 'PathPrefix', value: '/foo' }, headers: [{ name: 'version', value: 'v2' }] }, { path: { type: 'PathPrefix', value: '/v2/foo' } }], backendRefs: to('a') },
  ]);

  it('a request must satisfy either of a rule\'s matches (they are ORed)', () => {
    expect(lands([r], { path: '/foo', headers: { version: 'v2' } })).toBe('a');
    expect(lands([r], { path: '/v2/foo' })).toBe('a');
  });

  it('…and all conditions inside the one it satisfies', () => {
    expect(lands([r], { path: '/foo' })).toBe(404);
    expect(lands([r], { path: '/bar', headers: { version: 'v2' } })).toBe(404);
  });

  it('method and query parameters are conditions too', () => {
    const m = route([{ matches: [{ method: 'POST', queryParams: [{ name: 'canary', value: 'yes' }] }], backendRefs: to('a') }]);
    expect(lands([m], { method: 'POST', query: { canary: 'yes' } })).toBe('a');
    expect(lands([m], { method: 'GET', query: { canary: 'yes' } })).toBe(404);
    expect(lands([m], { method: 'POST', query: { Canary: 'yes' } })).toBe(404); // query names match exactly
    expect(unmetConditions(m.spec.rules[0].matches[0], { method: 'GET' })).toEqual(['method POST', 'query canary=yes']);
  });

  it('a rule without matches matches every request (a prefix match on "/")', () => {
    expect(lands([route([{ backendRefs: to('a') }])], { path: '/anything/at/all' })).toBe('a');
  });
});

describe('paths', () => {
  const prefix = route([{ matches: [{ path: { type: 'PathPrefix', value: '/abc' } }], backendRefs: to('a') }]);
  const exact = route([{ matches: [{ path: { type: 'Exact', value: '/abc' } }], backendRefs: to('a') }]);

  it('PathPrefix matches element by element: /abc, /abc/ and /abc/def, not /abcd', () => {
    expect(['/abc', '/abc/', '/abc/def', '/abcd'].map((path) => lands([prefix], { path }))).toEqual(['a', 'a', 'a', 404]);
  });

  it('a trailing "/" of the prefix is ignored', () => {
    const slash = route([{ matches: [{ path: { type: 'PathPrefix', value: '/abc/' } }], backendRefs: to('a') }]);
    expect(['/abc', '/abc/def', '/abcd'].map((path) => lands([slash], { path }))).toEqual(['a', 'a', 404]);
  });

  it('Exact is case-sensitive equality: /abc only, not /abc/, /Abc or /abcd', () => {
    expect(['/abc', '/abc/', '/Abc', '/abcd'].map((path) => lands([exact], { path }))).toEqual(['a', 404, 404, 404]);
  });
});

describe('headers', () => {
  it('names match case-insensitively, values exactly', () => {
    const r = route([{ matches: [{ headers: [{ name: 'X-Canary', value: 'always' }] }], backendRefs: to('a') }]);
    expect(lands([r], { headers: { 'x-canary': 'always' } })).toBe('a');
    expect(lands([r], { headers: { 'X-Canary': 'Always' } })).toBe(404);
  });

  it('of several entries with an equivalent name only the first counts', () => {
    const r = route([{ matches: [{ headers: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] }], backendRefs: to('a') }]);
    expect(lands([r], { headers: { 'X-A': '1' } })).toBe('a');
  });

  it('RegularExpression matches the whole value', () => {
    const r = route([{ matches: [{ headers: [{ name: 'X-A', type: 'RegularExpression', value: 'al.*' }] }], backendRefs: to('a') }]);
    expect([lands([r], { headers: { 'X-A': 'always' } }), lands([r], { headers: { 'X-A': 'xalways' } })]).toEqual(['a', 404]);
  });
});

describe('precedence across rules, continuing on ties', () => {
  it('an Exact path beats a longer prefix; a longer prefix beats a shorter one', () => {
    const r = route([
      { matches: [{ path: { type: 'PathPrefix', value: '/a/b' } }], backendRefs: to('longer') },
      { matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: to('shorter') },
      { matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: to('exact') },
    ]);
    expect([lands([r], { path: '/a' }), lands([r], { path: '/a/b/c' }), lands([r], { path: '/a/x' })]).toEqual(['exact', 'longer', 'shorter']);
  });

  it('then a method match, then the most header matches, then the most query matches', () => {
    const r = route([
      { matches: [{ headers: [{ name: 'a', value: '1' }] }], backendRefs: to('one-header') },
      { matches: [{ headers: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }], backendRefs: to('two-headers') },
      { matches: [{ method: 'GET' }], backendRefs: to('method') },
      { matches: [{ queryParams: [{ name: 'q', value: '1' }] }], backendRefs: to('query') },
    ]);
    expect(lands([r], { method: 'GET', headers: { a: '1', b: '2' }, query: { q: '1' } })).toBe('method');
    expect(lands([r], { method: 'PUT', headers: { a: '1', b: '2' }, query: { q: '1' } })).toBe('two-headers');
    expect(lands([r], { method: 'PUT', query: { q: '1' } })).toBe('query');
  });

  it('a header rule listed after a catch-all still wins for requests with the header (more header matches)', () => {
    const r = route([{ backendRefs: to('weighted') }, { matches: [{ headers: [{ name: 'X-Canary', value: 'always' }] }], backendRefs: to('canary') }]);
    expect([lands([r], {}), lands([r], { headers: { 'X-Canary': 'always' } })]).toEqual(['weighted', 'canary']);
  });

  it('ties across routes go to the oldest route, then to {namespace}/{name}; within a route to the first rule', () => {
    const older = route([{ backendRefs: to('older') }], { name: 'z', creationTimestamp: '2026-01-01T00:00:00Z' });
    const newer = route([{ backendRefs: to('newer') }], { name: 'a', creationTimestamp: '2026-02-01T00:00:00Z' });
    expect(lands([newer, older], {})).toBe('older');
    const b = route([{ backendRefs: to('b') }], { name: 'b' });
    const a = route([{ backendRefs: to('a') }], { name: 'a' });
    expect(lands([b, a], {})).toBe('a');
    expect(lands([route([{ backendRefs: to('first') }, { backendRefs: to('second') }])], {})).toBe('first');
  });

  it('only routes that serve the request\'s host take part', () => {
    const other = route([{ backendRefs: to('other') }], {}, ['other.localhost']);
    const mine = route([{ backendRefs: to('mine') }], {}, ['lab.localhost']);
    const wildcard = route([{ backendRefs: to('wild') }], {}, ['*.example.com']);
    expect(lands([other, mine], { host: 'lab.localhost' })).toBe('mine');
    expect([lands([wildcard], { host: 'a.example.com' }), lands([wildcard], { host: 'example.com' })]).toEqual(['wild', 404]);
  });
});

describe('messages', () => {
  it('describe a match by its conditions, and say what a near miss lacks', () => {
    const r = route([{ matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'X-Canary', value: 'always' }] }], backendRefs: to('canary') }, { backendRefs: to('stable') }]);
    expect(describeMatch(r.spec.rules[0].matches[0])).toBe('path /api, header X-Canary: always');
    expect(describeMatch({ path: { type: 'PathPrefix', value: '/' } })).toBe('all requests');
    const req = { path: '/', headers: { 'X-Canary': 'always' } };
    expect(nearMisses(r, req, (m) => (m.headers ?? []).length > 0, routeRequest([r], req))).toEqual(['rule 1 (path /api, header X-Canary: always) does not match it: it also needs path /api']);
  });
});
