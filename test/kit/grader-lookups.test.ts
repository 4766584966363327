/**
 * The lookup every grader shares (`state.must`, `found`): a missing object fails its check with
 * one standard message — "<Kind> <name> not found in <namespace>", in both languages — turned
 * into a result by the engine, in the same place as SourceUnavailable and NotCaptured. And the
 * builders of the simple check shapes (src/check-builders.ts).
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog.js';
import { everyAnswerIs, exists, fieldEquals, holds } from '../../src/check-builders.js';
import { pass, type CheckResult } from '../../src/checks.js';
import { gradeLab, loadGraders, type CheckFn } from '../../src/engine.js';
import { L } from '../../src/i18n.js';
import type { KubeObject, Snapshot } from '../../src/snapshot.js';
import { found, LabState } from '../../src/state.js';

const NS = 's1-recreate';
const WEB = { kind: 'Deployment', namespace: NS, name: 'web' } as const;

const deployment = (spec: any, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: NS, labels },
  spec,
});
const state = (...objects: KubeObject[]) => new LabState({ kind: 'CicdLabSnapshot', version: 1, kubernetes: objects } as Snapshot, 'snapshot');

/** The result of one check function, graded as s1-recreate's `strategy` (its title, hint and docs from the catalog). */
function run(check: CheckFn, on: LabState): CheckResult {
  return gradeLab({ lab: NS, needs: {}, checks: { strategy: check, updated: () => pass() } }, on).checks[0];
}

describe('the not-found lookup', () => {
  it('state.must returns the object; a missing one fails the check with the standard message, in Korean and English, and the catalog hint', () => {
    expect(run((s) => pass(s.must('Deployment', NS, 'web').metadata.name), state(deployment({}))).observed).toBe('web');
    const missing = run((s) => pass(s.must('Deployment', NS, 'web').metadata.name), state());
    expect(missing.status).toBe('fail');
    expect(missing.expected).toEqual(L('s1-recreate의 Deployment web', 'Deployment web in s1-recreate'));
    expect(missing.observed).toEqual(L('s1-recreate에 Deployment web 없음', 'Deployment web not found in s1-recreate'));
    expect(missing.hint).toEqual(catalog().labs.find((l) => l.id === NS)!.checks[0].hint);
    expect(missing.evidence).toBeUndefined();
  });

  it('an object of the same name in another namespace or of another kind is not the one', () => {
    const elsewhere = { ...deployment({}), metadata: { name: 'web', namespace: 'default' } };
    const service = { ...deployment({}), apiVersion: 'v1', kind: 'Service' };
    expect(run((s) => pass(s.must('Deployment', NS, 'web').kind), state(elsewhere, service)).observed).toEqual(L('s1-recreate에 Deployment web 없음', 'Deployment web not found in s1-recreate'));
  });

  it('adds the hint and evidence a check gives for a missing object, reading them only when it is missing', () => {
    let asked = 0;
    const check: CheckFn = (s) => {
      s.must('Deployment', NS, 'web', () => {
        asked++;
        return { hint: L('힌트', 'a hint'), evidence: ['what is there instead'] };
      });
      return pass();
    };
    expect(run(check, state(deployment({}))).status).toBe('pass');
    expect(asked).toBe(0);
    const missing = run(check, state());
    expect([missing.hint, missing.evidence, asked]).toEqual([L('힌트', 'a hint'), ['what is there instead'], 1]);
  });

  it('found() does the same for what is not a collected object: a Helm release in a namespace, a Jenkins job without one', () => {
    const release = run(() => pass(found(undefined, L('Helm 릴리스', 'Helm release'), 'hello-app', 'l3-helm')), state());
    expect([release.expected, release.observed]).toEqual([L('l3-helm의 Helm 릴리스 hello-app', 'Helm release hello-app in l3-helm'), L('l3-helm에 Helm 릴리스 hello-app 없음', 'Helm release hello-app not found in l3-helm')]);
    const job = run((s) => pass(s.mustJenkinsJob('hello-freestyle').job._class), state());
    expect([job.expected, job.observed]).toEqual([L('Jenkins 작업 hello-freestyle', 'Jenkins job hello-freestyle'), L('Jenkins 작업 hello-freestyle 없음', 'Jenkins job hello-freestyle not found')]);
    expect(run(() => pass(String(found(0, 'Thing', 'zero'))), state()).observed).toBe('0');
  });

  it('an unreadable source is still reported as unreadable, not as not found', () => {
    const unreadable = new LabState({ kind: 'CicdLabSnapshot', version: 1, unavailable: [{ source: 'kubernetes', what: 'deployments.apps', namespace: NS, message: 'forbidden' }] } as Snapshot, 'snapshot');
    const result = run((s) => pass(s.must('Deployment', NS, 'web').kind), unreadable);
    expect([result.status, result.observed]).toEqual(['fail', 'forbidden']);
  });

  it('every grader on an empty state: no grader error; each check about a missing object or job says so in the standard words', async () => {
    const ids = catalog().labs.map((l) => l.id).filter((id) => !catalog().pending.includes(id));
    const graders = await loadGraders(ids);
    const empty = state();
    const results = graders.flatMap((g) => gradeLab(g, empty).checks);
    const en = (r: CheckResult) => (typeof r.observed === 'string' ? r.observed : r.observed?.en ?? '');
    expect(results.filter((r) => en(r).startsWith('grader error')).map((r) => `${r.lab}/${r.id}`)).toEqual([]);
    // Live-only measurements are skipped; three checks say something more particular than "not found".
    const particular = ['l3-helm/pipeline', 'l4-argocd/gitops', 's5-db-migration/ordered'];
    const standard = results.filter((r) => r.status === 'fail' && !particular.includes(`${r.lab}/${r.id}`));
    const skipped = ['l4-rollouts-analysis/traffic', 'l4-rollouts-canary/traffic', 's3-bluegreen/traffic', 's4-canary/traffic', 's5-db-migration/schema', 's6-rollback/traffic'];
    expect(results.filter((r) => r.status === 'skip').map((r) => `${r.lab}/${r.id}`).sort()).toEqual(skipped);
    expect(standard.length + skipped.length + particular.length).toBe(results.length);
    for (const r of standard) {
      const observed = r.observed as { ko: string; en: string };
      const expected = r.expected as { ko: string; en: string };
      const m = /^(.+) (\S+) not found(?: in (\S+))?$/.exec(observed.en);
      expect(m, `${r.lab}/${r.id}: ${observed.en}`).not.toBeNull();
      const [, kind, name, namespace] = m!;
      expect(expected.en).toBe(namespace ? `${kind} ${name} in ${namespace}` : `${kind} ${name}`);
      expect(observed.ko).toMatch(namespace ? new RegExp(`^${namespace}에 \\S+( \\S+)? ${name} 없음$`) : new RegExp(`^\\S+( \\S+)? ${name} 없음$`));
      // Every Kubernetes object is named with its namespace; only Jenkins jobs have none.
      if (!namespace) expect(kind).toBe('Jenkins job');
    }
    expect(standard.map((r) => `${r.lab}/${r.id}: ${(r.observed as { en: string }).en}`)).toContain('s4-canary/backends: Service web-stable not found in s4-canary');
  });
});

describe('the builders of the simple check shapes', () => {
  it('exists: passes naming the object; a missing one fails with the standard message', () => {
    expect(run(exists(WEB), state(deployment({})))).toMatchObject({ status: 'pass', observed: 'Deployment web' });
    expect(run(exists(WEB), state())).toMatchObject({ status: 'fail', observed: L('s1-recreate에 Deployment web 없음', 'Deployment web not found in s1-recreate') });
  });

  it('fieldEquals: a dotted path, compared deeply, with texts that name the path and what is there', () => {
    const check = fieldEquals(WEB, 'spec.strategy.type', 'Recreate');
    expect(run(check, state(deployment({ strategy: { type: 'Recreate' } })))).toMatchObject({ status: 'pass', observed: 'spec.strategy.type = Recreate' });
    expect(run(check, state(deployment({})))).toMatchObject({ status: 'fail', expected: 'spec.strategy.type = Recreate', observed: 'spec.strategy.type = (unset)' });
    expect(run(fieldEquals(WEB, 'spec.strategy', { type: 'Recreate' }), state(deployment({ strategy: { type: 'Recreate' } }))).status).toBe('pass');
    expect(run(fieldEquals(WEB, 'spec.strategy', { type: 'Recreate' }), state(deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } })))).toMatchObject({
      status: 'fail',
      observed: 'spec.strategy = {"type":"Recreate","rollingUpdate":{}}',
    });
  });

  it('fieldEquals: the keys of a path whose key has dots (a label), and texts of the check\'s own', () => {
    const check = fieldEquals(WEB, ['metadata', 'labels', 'app.kubernetes.io/name'], 'web', { expected: 'label app.kubernetes.io/name=web', observed: (d) => `labels ${JSON.stringify(d.metadata.labels)}` });
    expect(run(check, state(deployment({}, { 'app.kubernetes.io/name': 'web' })))).toMatchObject({ status: 'pass', observed: 'labels {"app.kubernetes.io/name":"web"}' });
    expect(run(check, state(deployment({}, { app: 'web' })))).toMatchObject({ status: 'fail', expected: 'label app.kubernetes.io/name=web', observed: 'labels {"app":"web"}' });
  });

  it('holds: a condition on the object, with what was observed in a pass and in a failure', () => {
    const check = holds(WEB, { expected: 'at least 2 replicas', test: (d) => (d.spec?.replicas ?? 1) >= 2, observed: (d) => `${d.spec?.replicas ?? 1} replicas` });
    expect(run(check, state(deployment({ replicas: 3 })))).toMatchObject({ status: 'pass', observed: '3 replicas' });
    expect(run(check, state(deployment({})))).toMatchObject({ status: 'fail', expected: 'at least 2 replicas', observed: '1 replicas' });
    expect(run(check, state())).toMatchObject({ status: 'fail', observed: L('s1-recreate에 Deployment web 없음', 'Deployment web not found in s1-recreate') });
  });

  it('everyAnswerIs: every sampled request answered that version; a failed one fails with the failures\' hint, another version or no sample fails', () => {
    const probed = (traffic: Record<string, unknown>) =>
      new LabState({ kind: 'CicdLabSnapshot', version: 1, kubernetes: [], probes: { 'traffic/x': { type: 'traffic', ...traffic } } } as unknown as Snapshot, 'snapshot');
    const check = everyAnswerIs('traffic/x', 'v2');
    expect(run(check, probed({ requests: 50, versions: { v2: 50 } }))).toMatchObject({ status: 'pass', observed: L('요청 50개: v2 50', '50 requests: v2 50') });
    const failed = run(check, probed({ requests: 50, versions: { v2: 49 }, errors: 1, failures: { 'HTTP 503': 1 } }));
    expect(failed).toMatchObject({ status: 'fail', expected: L('모든 응답이 v2, 실패 없음', 'every answer from v2, none failed') });
    expect(failed.hint?.en).toMatch(/HTTP 502\/503 means a Service has no ready Pods/);
    expect(run(check, probed({ requests: 50, versions: { v2: 40, v3: 10 } }))).toMatchObject({ status: 'fail', observed: L('요청 50개: v2 40, v3 10', '50 requests: v2 40, v3 10') });
    expect(run(check, probed({ requests: 0, versions: {} })).status).toBe('fail');
  });
});
