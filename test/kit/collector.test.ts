import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s3-bluegreen.test.js';
import { collect } from '../../src/collect/index.js';
import { sampleTraffic } from '../../src/collect/traffic.js';
import { LabError } from '../../src/errors.js';
import { LabState, SourceUnavailable } from '../../src/state.js';
import { startFakeApiServer, writeKubeconfig, type FakeApiServer } from '../lib/fake-apiserver.js';
import { closedPort, startFakeHttp, type FakeHttp } from '../lib/fake-http.js';
import { grade, snapshotOf, solved, statuses } from '../lib/lab-states.js';
import type { SimCluster } from '../lib/sim.js';

const NS = 's3-bluegreen';

describe('the live Kubernetes collector, against a stand-in API server', () => {
  let sim: SimCluster;
  let api: FakeApiServer;
  let gateway: FakeHttp;
  let labAndProd: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = await solved('s3-bluegreen');
    api = await startFakeApiServer(sim.all());
    // The gateway answers as the simulated cluster routes: every request by a green Pod.
    gateway = await startFakeHttp(() => ({ status: 200, body: { version: 'v2', color: 'green', host: 'web-green-x' } }));
    // The current context is prod: the collector must still pick kind-cicd-lab.
    labAndProd = writeKubeconfig(api.url, ['prod', 'kind-cicd-lab'], 'prod');
    env = { KUBECONFIG: labAndProd, LAB_GATEWAY_PORT: String(gateway.port), HOME: '/nonexistent' };
  });
  afterAll(async () => {
    await api.close();
    await gateway.close();
  });

  it('makes only GET requests, one LIST per kind per namespace, on the lab context', async () => {
    api.requests.length = 0;
    await collect([grader.needs], { env });
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
    const paths = api.requests.map((r) => r.path).sort();
    expect(paths).toEqual([
      '/api/v1/namespaces/s3-bluegreen/events',
      '/api/v1/namespaces/s3-bluegreen/services',
      '/apis/apps/v1/namespaces/s3-bluegreen/deployments',
      '/version',
    ]);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set(['Bearer token-of-kind-cicd-lab']));
  });

  it('asks for the union of several graders\' needs once, not once per grader or per check', async () => {
    api.requests.length = 0;
    await collect([grader.needs, grader.needs, { kubernetes: [{ kinds: ['Deployment', 'HTTPRoute'], namespaces: [NS] }] }], { env });
    const lists = api.requests.map((r) => r.path).filter((p) => p !== '/version');
    expect(lists).toHaveLength(new Set(lists).size);
    expect(lists).toHaveLength(4);
  });

  it('collects objects as the API returns them, so grading them equals grading the simulated state', async () => {
    const snapshot = await collect([grader.needs], { env });
    const deployment = snapshot.kubernetes!.find((o) => o.metadata.name === 'web-green')!;
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.kind).toBe('Deployment');
    expect(deployment).toEqual(sim.must('Deployment', NS, 'web-green'));
    expect(snapshot.context).toBe('kind-cicd-lab');
    expect(snapshot.probes!['traffic/s3-bluegreen']).toEqual({ requests: 50, versions: { v2: 50 } });
    expect(statuses(grade(grader, snapshot))).toEqual(statuses(grade(grader, snapshotOf(sim, [grader]))));
  });

  it('sends traffic probes to the lab host through the gateway', async () => {
    gateway.requests.length = 0;
    await collect([grader.needs], { env });
    expect(gateway.requests).toHaveLength(50);
    expect(new Set(gateway.requests.map((r) => r.headers.host))).toEqual(new Set(['s3-bluegreen.localhost']));
  });

  it('refuses, before any request, when the kubeconfig has no lab context and none is named', async () => {
    const prodOnly = writeKubeconfig(api.url, ['prod']);
    api.requests.length = 0;
    const error = await collect([grader.needs], { env: { ...env, KUBECONFIG: prodOnly } }).catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error.text.en).toContain('kind-cicd-lab is not in the kubeconfig');
    expect(error.text.en).toContain('current context: prod');
    expect(error.text.en).toContain('--context <name>');
    expect(error.text.ko).toContain('LAB_CONTEXT=<이름>');
    expect(api.requests).toEqual([]);
  });

  it('acts on another context only when it is named', async () => {
    const prodOnly = writeKubeconfig(api.url, ['prod']);
    api.requests.length = 0;
    await collect([grader.needs], { env: { ...env, KUBECONFIG: prodOnly }, context: 'prod' });
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set(['Bearer token-of-prod']));
    const missing = await collect([grader.needs], { env: { ...env, KUBECONFIG: prodOnly }, context: 'staging' }).catch((e) => e);
    expect(missing.text.en).toBe(`The context "staging" you named is not in the kubeconfig (${prodOnly}). Contexts there: prod`);
  });

  it('says in one message when there is no kubeconfig at all', async () => {
    const error = await collect([grader.needs], { env: { HOME: '/nonexistent' } }).catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error.text.en).toBe('No kubeconfig found (looked at /nonexistent/.kube/config), so there is no lab cluster yet. Create or restart the lab cluster with `npm run up` (Docker must be running).');
  });

  it('says in one message what it tried when the cluster does not answer (connection refused)', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const down = writeKubeconfig(server, ['kind-cicd-lab']);
    const error = await collect([grader.needs], { env: { ...env, KUBECONFIG: down } }).catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error.text.en).toBe(
      `Cannot reach the lab cluster's Kubernetes API at ${server} (context kind-cicd-lab, kubeconfig ${down}): connection refused. Create or restart the lab cluster with \`npm run up\` (Docker must be running).`,
    );
  });

  it('turns 403 into a clear refusal that names the request', async () => {
    const path = '/apis/apps/v1/namespaces/s3-bluegreen/deployments';
    api.override(path, 403);
    try {
      const error = await collect([grader.needs], { env }).catch((e) => e);
      expect(error).toBeInstanceOf(LabError);
      expect(error.text.en).toContain(`refused the request: GET ${path} → 403`);
    } finally {
      api.override(path, 0);
    }
  });

  it('turns 404 (an API the cluster does not serve) into failed checks that say so', async () => {
    const path = '/apis/apps/v1/namespaces/s3-bluegreen/deployments';
    api.override(path, 404);
    try {
      const snapshot = await collect([grader.needs], { env });
      expect(snapshot.unavailable).toEqual([{ source: 'kubernetes', what: 'deployments.apps', namespace: NS, message: 'the cluster does not serve deployments.apps (apps/v1)' }]);
      expect(() => new LabState(snapshot, 'live').list('Deployment', NS)).toThrow(SourceUnavailable);
      const result = grade(grader, snapshot);
      expect(statuses(result)).toMatchObject({ 'green-ready': 'fail', warmup: 'fail', 'rollback-ready': 'fail', switched: 'pass' });
      expect(result.checks[0].observed).toBe('the cluster does not serve deployments.apps (apps/v1)');
    } finally {
      api.override(path, 0);
    }
  });

  it('records an unreachable gateway as an unavailable probe, not a crash', async () => {
    const snapshot = await collect([grader.needs], { env: { ...env, LAB_GATEWAY_PORT: String(await closedPort()) } });
    expect(snapshot.probes).toEqual({});
    expect(snapshot.unavailable?.[0]).toMatchObject({ source: 'probe', what: 'traffic/s3-bluegreen' });
    const traffic = grade(grader, snapshot).checks.find((c) => c.id === 'traffic')!;
    expect(traffic.status).toBe('fail');
    expect(traffic.observed).toMatch(/cannot reach the gateway at http:\/\/s3-bluegreen\.localhost:\d+\/: connection refused/);
  });
});

describe('the traffic probe, against a stand-in gateway', () => {
  it('counts failed requests by what they got, apart from the versions: an error is not a version', async () => {
    let n = 0;
    const gateway = await startFakeHttp(() => {
      n++;
      if (n % 4 === 0) return { status: 500, body: 'upstream error' };
      if (n % 4 === 1) return { status: 200, body: 'not json' };
      return { status: 200, body: { version: 'v2' } };
    });
    try {
      const probe = await sampleTraffic({ type: 'traffic', host: 's4-canary.localhost', requests: 8 }, { baseUrl: gateway.url, concurrency: 1 });
      expect(probe).toMatchObject({ requests: 8, versions: { v2: 4 }, errors: 4, failures: { 'HTTP 500': 2, 'HTTP 200, no version in the answer': 2 } });
      expect(gateway.requests.every((r) => r.method === 'GET')).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});
