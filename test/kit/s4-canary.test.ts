import { beforeAll, describe, expect, it } from 'vitest';
import grader, { HEADER_SAMPLE } from '../grade/s4-canary.test.js';
import { CANARY_PERCENT, CANARY_SAMPLE as SAMPLE, TOLERANCE_POINTS, withinShare } from '../../src/probes.js';
import { canaryFailureProbability as failureProbability } from '../lib/stats.js';
import type { Snapshot } from '../../src/snapshot.js';
import { failingChecks, grade, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { SimCluster } from '../lib/sim.js';

const NS = 's4-canary';

describe('the traffic sample of s4-canary', () => {
  it(`samples ${SAMPLE} requests, so that a correct 80/20 split fails less than 1 time in 1,000 (exact binomial tail)`, () => {
    const p = failureProbability(SAMPLE);
    console.log(`P(a correct 80/20 split fails) with ${SAMPLE} requests and ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS} points: ${p.toExponential(3)}`);
    expect(p).toBeLessThan(0.001);
    // …and the smaller samples one might pick would not do: 200 requests fail 3.5 times in 1,000.
    expect(failureProbability(200)).toBeGreaterThan(0.001);
  });

  it('accepts 20% ± 8 points inclusive, judged in whole numbers', () => {
    expect([36, 60, 84].map((k) => withinShare(k, SAMPLE))).toEqual([true, true, true]);
    expect([35, 85, 0, 300].map((k) => withinShare(k, SAMPLE))).toEqual([false, false, false, false]);
    expect(withinShare(0, 0)).toBe(false);
  });

  it(`asks for ${HEADER_SAMPLE} requests with the header, where a correct setup answers v2 every time`, () => {
    expect(grader.needs.probes!['traffic/s4-canary/header']).toEqual({ type: 'traffic', host: 's4-canary.localhost', headers: { 'X-Canary': 'always' }, requests: HEADER_SAMPLE });
    expect(grader.needs.probes!['traffic/s4-canary']).toEqual({ type: 'traffic', host: 's4-canary.localhost', requests: SAMPLE });
  });
});

describe('s4-canary on snapshots built from the real lab files', () => {
  let starterSim: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started(NS);
    solvedSim = await solved(NS);
  });
  const failing = (sim: SimCluster) => failingChecks(grader, sim);
  const editRoute = (sim: SimCluster, change: (rules: any[]) => void) => sim.edit('HTTPRoute', NS, 'web', (r) => change(r.spec.rules));
  /** The solved state, with only the route changed in the snapshot: probes as measured before the change. */
  const routeOnly = (change: (rules: any[]) => void): Snapshot => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    change(snapshot.kubernetes!.find((o) => o.kind === 'HTTPRoute')!.spec.rules);
    return snapshot;
  };

  it('the starter fails all four: no canary, no weights, no header rule, no v2 in the traffic', () => {
    expect(statuses(grade(grader, snapshotOf(starterSim, [grader])))).toEqual({ backends: 'fail', weight: 'fail', header: 'fail', traffic: 'fail' });
  });

  it('the solution passes all four, with what it saw', () => {
    const result = grade(grader, snapshotOf(solvedSim, [grader]));
    expect(statuses(result)).toEqual({ backends: 'pass', weight: 'pass', header: 'pass', traffic: 'pass' });
    expect(result.checks.find((c) => c.id === 'weight')!.observed).toBe('GET / → rule 2 (all requests): web-stable 80, web-canary 20 (web-canary 20%)');
    expect((result.checks.find((c) => c.id === 'traffic')!.observed as { en: string }).en).toBe(
      'without the header 300 requests: v1 240, v2 60 (v2 20%); with it 20 requests: v2 20',
    );
  });

  it('50/50 weights fail weight, and traffic measures the same mistake (50% v2)', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => rules[1].backendRefs.forEach((b: any) => (b.weight = 50)));
    expect(failing(sim)).toEqual(['weight', 'traffic']);
  });

  it('50/50 weights in the route alone (traffic measured before the change) fail weight only', () => {
    const snapshot = routeOnly((rules) => rules[1].backendRefs.forEach((b: any) => (b.weight = 50)));
    expect(withStatus(grade(grader, snapshot), 'fail')).toEqual(['weight']);
  });

  it('4/1 is the same weight as 80/20 and passes, and so does a 0-weight backend left in the rule', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => {
      rules[1].backendRefs[0].weight = 4;
      rules[1].backendRefs[1].weight = 1;
      rules[1].backendRefs.push({ name: 'web-old', port: 80, weight: 0 });
    });
    expect(failing(sim)).toEqual([]);
  });

  it('a header rule that also sends to stable fails header, and traffic sees v1 answer with the header', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => rules[0].backendRefs.push({ name: 'web-stable', port: 80 }));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['header', 'traffic']);
    expect(result.checks.find((c) => c.id === 'header')!.observed).toBe('GET / with X-Canary: always → rule 1 (header X-Canary: always): web-canary 1, web-stable 1');
  });

  it('a header rule that also sends to stable, in the route alone, fails header only', () => {
    expect(withStatus(grade(grader, routeOnly((rules) => rules[0].backendRefs.push({ name: 'web-stable', port: 80 }))), 'fail')).toEqual(['header']);
  });

  it('a header rule matching another value fails header (and the header traffic gets 20% v2)', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => (rules[0].matches[0].headers[0].value = 'yes'));
    expect(failing(sim)).toEqual(['header', 'traffic']);
  });

  it('a header rule that also requires another header fails header: X-Canary: always alone gets the 80/20 split', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => rules[0].matches[0].headers.push({ type: 'Exact', name: 'X-Env', value: 'test' }));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['header', 'traffic']);
    expect(result.checks.find((c) => c.id === 'header')!.observed).toBe(
      'GET / with X-Canary: always → rule 2 (all requests): web-stable 80, web-canary 20; rule 1 (header X-Canary: always, header X-Env: test) does not match it: it also needs header X-Env: test',
    );
  });

  it('the same, in the route alone (traffic measured before), fails header only', () => {
    const snapshot = routeOnly((rules) => rules[0].matches[0].headers.push({ type: 'Exact', name: 'X-Env', value: 'test' }));
    expect(withStatus(grade(grader, snapshot), 'fail')).toEqual(['header']);
  });

  it('a header rule only on /api fails header, and says the rule matches the header only on /api', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => (rules[0].matches[0].path = { type: 'PathPrefix', value: '/api' }));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['header', 'traffic']);
    expect(result.checks.find((c) => c.id === 'header')!.observed).toContain('rule 1 (path /api, header X-Canary: always) does not match it: it also needs path /api');
  });

  it('a header rule that also requires a query parameter or the method POST fails header', () => {
    const query = editRoute(solvedSim.fork(), (rules) => (rules[0].matches[0].queryParams = [{ name: 'canary', value: 'yes' }]));
    expect(failing(query)).toEqual(['header', 'traffic']);
    const post = editRoute(solvedSim.fork(), (rules) => (rules[0].matches[0].method = 'POST'));
    expect(failing(post)).toEqual(['header', 'traffic']);
  });

  it('right in other forms: the header rule listed after the weighted one, also matching method GET, or with a second ORed match', () => {
    const reordered = editRoute(solvedSim.fork(), (rules) => rules.reverse());
    expect(failing(reordered)).toEqual([]);
    const withGet = editRoute(solvedSim.fork(), (rules) => (rules[0].matches[0].method = 'GET'));
    expect(failing(withGet)).toEqual([]);
    const ored = editRoute(solvedSim.fork(), (rules) => rules[0].matches.push({ path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'Exact', name: 'X-Beta', value: '1' }] }));
    expect(failing(ored)).toEqual([]);
  });

  it('a match that sends every request to the canary wins over the weights, and weight says where plain requests go', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => rules[0].matches.push({ path: { type: 'PathPrefix', value: '/' } }));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['weight', 'traffic']);
    expect(result.checks.find((c) => c.id === 'weight')!.observed).toBe('GET / → rule 1 (all requests): web-canary 1 (web-canary 100%)');
  });

  it('answers that are HTTP errors are not v1: with web-stable gone, 240 of 300 requests get HTTP 500 and traffic fails', () => {
    const sim = solvedSim.fork().delete('Service', NS, 'web-stable');
    const probe = sim.traffic('s4-canary.localhost', { requests: 300 });
    expect(probe).toMatchObject({ versions: { v2: 60 }, errors: 240, failures: { 'HTTP 500': 240 } });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['backends', 'traffic']);
    expect((result.checks[3].observed as { en: string }).en).toBe('without the header 300 requests: v2 60, 240 failed (HTTP 500 240) (v2 20%); with it 20 requests: v2 20');
    expect(result.checks[3].hint!.en).toContain('failed');
  });

  it('a sample of 61 v2 and 239 HTTP 500 fails traffic, though 61 of 300 is a 20% share', () => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    snapshot.probes!['traffic/s4-canary'] = { requests: 300, versions: { v2: 61 }, errors: 239, lastError: 'HTTP 500', failures: { 'HTTP 500': 239 } };
    const result = grade(grader, snapshot);
    expect(withStatus(result, 'fail')).toEqual(['traffic']);
    expect((result.checks[3].observed as { en: string }).en).toContain('239 failed (HTTP 500 239)');
  });

  it('a failed request counts even in an older snapshot that only has errors and lastError', () => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    snapshot.probes!['traffic/s4-canary/header'] = { requests: 20, versions: { v2: 19 }, errors: 1, lastError: 'HTTP 502' };
    const result = grade(grader, snapshot);
    expect(withStatus(result, 'fail')).toEqual(['traffic']);
    expect((result.checks[3].observed as { en: string }).en).toContain('with it 20 requests: v2 19, 1 failed (HTTP 502 1)');
  });

  it('canary Pods on the v1 image with APP_VERSION=v2 fail backends: they answer v2, but run v1', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-canary', (d) => {
      const c = d.spec.template.spec.containers[0];
      c.image = 'kind-registry:5000/hello-app:v1';
      c.env = [{ name: 'APP_VERSION', value: 'v2' }];
    });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['backends']);
    expect((result.checks[0].observed as { en: string }).en).toContain('APP_VERSION=v2');
  });

  it('matches the header name case-insensitively, as HTTP does', () => {
    const sim = editRoute(solvedSim.fork(), (rules) => (rules[0].matches[0].headers[0].name = 'x-canary'));
    expect(failing(sim)).toEqual([]);
  });

  it('a canary Service selecting v1 Pods fails backends, and traffic finds no v2', () => {
    const sim = solvedSim.fork().edit('Service', NS, 'web-canary', (svc) => void (svc.spec.selector = { app: 'web', track: 'stable' }));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['backends', 'traffic']);
    expect(result.checks[0].observed).toEqual({ ko: 'web-canary: 준비된 엔드포인트 2개 (v1 2)', en: 'web-canary: 2 ready (v1 2)' });
  });

  it('a Service selecting both tracks (app: web only) fails backends: the canary would not be only v2', () => {
    const sim = solvedSim.fork().edit('Service', NS, 'web-canary', (svc) => void (svc.spec.selector = { app: 'web' }));
    expect(failing(sim)).toEqual(['backends', 'traffic']);
  });

  it('a canary whose image cannot be pulled fails backends, with the pull error as evidence, and traffic gets errors', async () => {
    const sim = new SimCluster();
    sim.breakImage('kind-registry:5000/hello-app:v2');
    const result = grade(grader, snapshotOf(await solved(NS, sim), [grader]));
    expect(withStatus(result, 'fail')).toEqual(['backends', 'traffic']);
    const backends = result.checks[0];
    expect(backends.observed).toEqual({ ko: 'web-canary: 준비된 엔드포인트 없음', en: 'web-canary: no ready endpoints' });
    expect(backends.evidence!.join('\n')).toContain('Failed to pull image');
    expect((result.checks[3].observed as { en: string }).en).toContain('failed (HTTP 503 60)');
  });

  it('a route the gateway did not accept fails traffic only, with the route\'s status as evidence', () => {
    const sim = solvedSim.fork().edit('HTTPRoute', NS, 'web', (r) => void (r.spec.parentRefs = [{ name: 'other', namespace: 'lab-gateway' }]));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['traffic']);
    expect(result.checks[3].evidence).toContain('HTTPRoute web, parent lab-gateway/other: Accepted=False (NoMatchingParent: No Gateway matches this parentRef)');
  });

  it('judges a live sample at the edges of the tolerance: 28% passes, 29% fails', () => {
    const at = (v2: number) => {
      const snapshot = snapshotOf(solvedSim, [grader]);
      snapshot.probes!['traffic/s4-canary'] = { requests: 300, versions: { v1: 300 - v2, v2 } };
      return statuses(grade(grader, snapshot)).traffic;
    };
    expect([at(84), at(87), at(36), at(35)]).toEqual(['pass', 'fail', 'pass', 'fail']);
  });

  it('a snapshot without the traffic probes skips traffic with the reason, and judges the rest', () => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    delete snapshot.probes;
    const result = grade(grader, snapshot);
    expect(statuses(result)).toEqual({ backends: 'pass', weight: 'pass', header: 'pass', traffic: 'skip' });
    expect(result.checks[3].reason!.en).toContain('traffic/s4-canary');
  });
});
