import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s3-bluegreen.test.js';
import { LabError } from '../../src/errors.js';
import { decodeHelmRelease, encodeHelmRelease, redactSecret, REDACTED_ANNOTATION } from '../../src/kube/helm.js';
import { loadSnapshot, parseSnapshot, saveSnapshot, type Snapshot } from '../../src/snapshot.js';
import { grade, snapshotOf, solved, started, statuses } from '../lib/lab-states.js';
import { tempDir } from '../lib/temp.js';

const dir = tempDir('snapshot');
const errorOf = (f: () => unknown): LabError => {
  try {
    f();
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('expected a LabError');
};

describe('snapshots', () => {
  let solvedSnapshot: Snapshot;
  let starterSnapshot: Snapshot;
  beforeAll(async () => {
    solvedSnapshot = snapshotOf(await solved('s3-bluegreen'), [grader]);
    starterSnapshot = snapshotOf(await started('s3-bluegreen'), [grader]);
  });

  it.each(['json', 'yaml'])('round-trip through a %s file: save → load → the same grade', (ext) => {
    for (const snapshot of [solvedSnapshot, starterSnapshot]) {
      const file = join(dir, `round-trip.${ext}`);
      saveSnapshot(file, snapshot);
      const loaded = loadSnapshot(file);
      expect(loaded).toEqual(snapshot);
      expect(grade(grader, loaded)).toEqual(grade(grader, snapshot));
    }
  });

  it('reads the example of the format as written', () => {
    const example = `
kind: CicdLabSnapshot
version: 1
capturedAt: "2026-11-26T12:00:00Z"
context: kind-cicd-lab
kubernetes:
  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: s1-recreate}, spec: {replicas: 2}, status: {replicas: 2}}
jenkins:
  jobs:
    hello-pipeline:
      job: {_class: org.jenkinsci.plugins.workflow.job.WorkflowJob}
      lastCompletedBuild: {number: 7, result: SUCCESS}
      lastSuccessfulBuild: {number: 7, result: SUCCESS}
      config: "<?xml version='1.1' encoding='UTF-8'?><flow-definition/>"
      stages: {stages: [{name: Build, status: SUCCESS}]}
registry:
  repositories: {hello-app: [l1-3, l2-7]}
git:
  repositories: {lab/hello-app: {branches: {main: "0123456789abcdef0123456789abcdef01234567"}}}
probes:
  traffic/s3-bluegreen: {requests: 50, versions: {v2: 50}}
  traffic/s4-canary: {requests: 200, versions: {v1: 161, v2: 39}}
  traffic/s4-canary/header: {requests: 20, versions: {v2: 20}}
  traffic/l4-rollouts-canary: {requests: 200, versions: {v1: 158, v2: 42}}
  schema/s5-db-migration: {table: orders, columns: [id, item, quantity, created_at, status]}
`;
    const s = parseSnapshot(example, 'the example');
    expect(s.registry?.repositories?.['hello-app']).toEqual(['l1-3', 'l2-7']);
    expect(s.git?.repositories?.['lab/hello-app'].branches?.main).toHaveLength(40);
    expect(s.probes?.['schema/s5-db-migration'].columns).toContain('status');
  });

  it('says which field is wrong and what was expected there', () => {
    const e = errorOf(() => parseSnapshot(JSON.stringify({ kind: 'CicdLabSnapshot', version: 1, kubernetes: [{ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'x' } }], registry: { repositories: { 'hello-app': 'l1-3' } } }), 'bad.json'));
    expect(e.text).toMatchObject({ en: expect.stringContaining('The snapshot does not have the CicdLabSnapshot v1 shape (bad.json)') });
    expect((e.text as { en: string }).en).toContain('kubernetes[0].metadata.name: is required but missing');
    expect((e.text as { en: string }).en).toContain('registry.repositories.hello-app: expected array, found a string');
    expect((e.text as { ko: string }).ko).toContain('kubernetes[0].metadata.name: 필수 항목이 없습니다');
  });

  it('names the kind it expected when the file is something else', () => {
    const e = errorOf(() => parseSnapshot('kind: Deployment\nversion: 1\n', 'deploy.yaml'));
    expect((e.text as { en: string }).en).toContain('kind: expected "CicdLabSnapshot", found "Deployment"');
  });

  it('refuses an unknown version in a message of its own', () => {
    const e = errorOf(() => parseSnapshot('{"kind":"CicdLabSnapshot","version":2,"future":true}', 'new.json'));
    expect((e.text as { en: string }).en).toMatch(/^new\.json is snapshot version 2, which this kit does not know: it reads version 1\./);
  });

  it('says when a file is neither JSON nor YAML, or cannot be opened', () => {
    expect((errorOf(() => parseSnapshot('{"kind": ', 'broken.json')).text as { en: string }).en).toContain('broken.json is neither valid JSON nor YAML');
    expect((errorOf(() => loadSnapshot(join(dir, 'absent.json'))).text as { en: string }).en).toContain('(ENOENT)');
  });

  it('reads what the traffic and Jenkins checks judge: failures by status, and a build\'s causes', () => {
    const s = parseSnapshot(
      `kind: CicdLabSnapshot
version: 1
jenkins:
  jobs:
    hello-pipeline:
      job: {_class: org.jenkinsci.plugins.workflow.job.WorkflowJob}
      lastCompletedBuild:
        number: 8
        result: SUCCESS
        actions:
          - {_class: hudson.model.CauseAction, causes: [{_class: org.jenkinsci.plugins.workflow.cps.replay.ReplayCause, shortDescription: "Replayed #7"}]}
probes:
  traffic/s4-canary: {requests: 300, versions: {v2: 61}, errors: 239, failures: {HTTP 500: 239}}
`,
      'hard-cases.yaml',
    );
    expect(s.probes!['traffic/s4-canary'].failures).toEqual({ 'HTTP 500': 239 });
    expect(s.jenkins!.jobs!['hello-pipeline'].lastCompletedBuild.actions[0].causes[0].shortDescription).toBe('Replayed #7');
    const bad = errorOf(() => parseSnapshot('{"kind":"CicdLabSnapshot","version":1,"probes":{"traffic/x":{"requests":3,"versions":{},"failures":{"HTTP 500":"3"}}},"jenkins":{"jobs":{"j":{"job":{},"lastCompletedBuild":{"actions":{}}}}}}', 'bad.json'));
    expect((bad.text as { en: string }).en).toContain('probes["traffic/x"].failures["HTTP 500"]: expected integer');
    expect((bad.text as { en: string }).en).toContain('jenkins.jobs.j.lastCompletedBuild.actions: expected array');
  });

  it('keeps tags as strings even when YAML reads them as numbers', () => {
    const s = parseSnapshot('kind: CicdLabSnapshot\nversion: 1\nregistry:\n  repositories:\n    hello-app: [1.0, l1-3]\n', 'tags.yaml');
    expect(s.registry?.repositories?.['hello-app']).toEqual(['1', 'l1-3']);
  });
});

describe('secrets in a snapshot', () => {
  it('have their values emptied and the last-applied annotation dropped', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"c2VjcmV0"}}' } },
      type: 'Opaque',
      data: { password: 'c2VjcmV0' },
    };
    const redacted = redactSecret(secret);
    expect(redacted.data).toEqual({ password: '' });
    expect(redacted.metadata.annotations).toEqual({ [REDACTED_ANNOTATION]: 'true' });
    expect(JSON.stringify(redacted)).not.toContain('c2VjcmV0');
    expect(secret.data.password).toBe('c2VjcmV0');
  });

  it('keep of a Helm release only its name, version, status, chart metadata and supplied values', () => {
    const release = {
      name: 'hello-app',
      namespace: 'l3-helm',
      version: 2,
      info: { status: 'deployed', notes: 'secret notes', last_deployed: '2026-11-26T12:00:00Z' },
      chart: { metadata: { name: 'hello-app', version: '0.1.0' }, templates: [{ name: 'deployment.yaml', data: 'c2VjcmV0' }], values: { password: 'default' } },
      config: { image: { tag: 'l2-7' } },
      manifest: 'kind: Secret\ndata: {password: c2VjcmV0}',
    };
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1', metadata: { name: 'sh.helm.release.v1.hello-app.v2', namespace: 'l3-helm', labels: { owner: 'helm', name: 'hello-app', status: 'deployed', version: '2' } }, data: { release: encodeHelmRelease(release) } };
    expect(decodeHelmRelease(secret)).toEqual(release);
    const kept = decodeHelmRelease(redactSecret(secret))!;
    expect(kept).toEqual({
      name: 'hello-app',
      namespace: 'l3-helm',
      version: 2,
      info: { status: 'deployed', last_deployed: '2026-11-26T12:00:00Z' },
      chart: { metadata: { name: 'hello-app', version: '0.1.0' } },
      config: { image: { tag: 'l2-7' } },
    });
    expect(JSON.stringify(kept)).not.toContain('c2VjcmV0');
  });
});

describe('a saved snapshot file', () => {
  it('is plain JSON or YAML that a person can read', () => {
    const file = join(dir, 'readable.yaml');
    saveSnapshot(file, { kind: 'CicdLabSnapshot', version: 1, probes: { 'traffic/s3-bluegreen': { requests: 1, versions: { v2: 1 } } } });
    expect(readFileSync(file, 'utf8')).toBe('kind: CicdLabSnapshot\nversion: 1\nprobes:\n  traffic/s3-bluegreen:\n    requests: 1\n    versions:\n      v2: 1\n');
  });
});
