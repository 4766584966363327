import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import grader from '../grade/l3-kustomize.test.js';
import { configMapHash, isGenerated } from '../../src/kube/kustomize.js';
import { ROOT } from '../../src/paths.js';
import { statuses, withStatus } from '../lib/lab-states.js';
import { LAB_REPO } from '../lib/sim-gitea.js';
import { SimPlatform } from '../lib/sim-platform.js';
import { kustomize } from '../lib/tools.js';

const DEV = 'l3-kustomize-dev';
const PROD = 'l3-kustomize-prod';
const own: SimPlatform[] = [];
const fork = (p: SimPlatform) => {
  const f = p.fork();
  own.push(f);
  return f;
};
const container = (d: any) => d.spec.template.spec.containers[0];

describe('l3-kustomize on a simulated platform built from the real files', () => {
  let starter: SimPlatform;
  let solution: SimPlatform;
  beforeAll(async () => {
    starter = await SimPlatform.create().start('l3-kustomize');
    solution = await SimPlatform.create().solve('l3-kustomize');
    own.push(starter, solution);
  });
  afterAll(async () => {
    for (const p of own) await p.dispose();
  });

  it('the starter (two empty namespaces) fails all four checks', () => {
    expect(withStatus(starter.grade(grader), 'fail')).toEqual(['dev', 'prod', 'generated-config', 'same-base']);
  });

  it('the skeleton overlays of labs/app, applied as they are, run the base in both namespaces: they pass same-base only', async () => {
    const p = fork(starter);
    const run = await p.run('solutions/l3-kustomize/apply.sh', [join(ROOT, 'labs/app/deploy/kustomize')]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(statuses(p.grade(grader))).toEqual({ dev: 'fail', prod: 'fail', 'generated-config': 'fail', 'same-base': 'pass' });
  });

  it('the solution (overlays pushed to Gitea and applied into their namespaces) passes all four', () => {
    expect(statuses(solution.grade(grader))).toEqual({ dev: 'pass', prod: 'pass', 'generated-config': 'pass', 'same-base': 'pass' });
    expect(solution.gitea.read(LAB_REPO, 'main', 'deploy/kustomize/overlays/prod/limits.yaml')).toContain('memory: 128Mi');
  });

  it('the overlays name no namespace, so the same overlay can go to l3-kustomize-dev and, in l4-argocd, to l4-dev', () => {
    for (const env of ['dev', 'prod']) {
      for (const o of kustomize(join(ROOT, `solutions/l3-kustomize/deploy/kustomize/overlays/${env}`))) expect(o.metadata.namespace, `${env}: ${o.kind} ${o.metadata.name}`).toBeUndefined();
    }
  });

  it('dev with 2 replicas fails dev only', () => {
    const f = fork(solution);
    f.cluster.edit('Deployment', DEV, 'hello-app', (d) => void (d.spec.replicas = 2));
    expect(withStatus(f.grade(grader), 'fail')).toEqual(['dev']);
  });

  it('dev without the env label fails dev only', () => {
    const f = fork(solution);
    f.cluster.edit('Deployment', DEV, 'hello-app', (d) => void delete d.metadata.labels!.env);
    expect(withStatus(f.grade(grader), 'fail')).toEqual(['dev']);
  });

  it('prod without a memory limit fails prod only', () => {
    const f = fork(solution);
    f.cluster.edit('Deployment', PROD, 'hello-app', (d) => void delete container(d).resources.limits.memory);
    expect(withStatus(f.grade(grader), 'fail')).toEqual(['prod']);
  });

  it('prod reading a ConfigMap written by hand (its name ends in no hash of its content) fails generated-config only', () => {
    const f = fork(solution);
    f.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello-app-config-handmade01', namespace: PROD }, data: { ENVIRONMENT: 'prod' } });
    f.cluster.edit('Deployment', PROD, 'hello-app', (d) => void (container(d).envFrom[0].configMapRef.name = 'hello-app-config-handmade01'));
    const result = f.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['generated-config']);
    expect(result.checks.find((c) => c.id === 'generated-config')!.observed).toMatchObject({ en: expect.stringContaining('not the hash of its content') });
  });

  it('prod with another readiness probe than dev fails same-base only', () => {
    const f = fork(solution);
    f.cluster.edit('Deployment', PROD, 'hello-app', (d) => void (container(d).readinessProbe.httpGet.path = '/'));
    expect(withStatus(f.grade(grader), 'fail')).toEqual(['same-base']);
  });
});

describe('the name of a generated ConfigMap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-hash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the hash of its content, computed as the real kustomize computes it', () => {
    const cases: Record<string, string>[] = [
      { A: 'b' },
      { ENVIRONMENT: 'prod', LOG_LEVEL: 'info' },
      { z: '1', a: 'two words', m: '<html> & "quotes"' },
      { multi: 'line one\nline two\n', unicode: '안녕하세요 ✓' },
    ];
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      stringify({ configMapGenerator: cases.map((data, i) => ({ name: `case${i}`, files: Object.keys(data).map((k) => `${k}=case${i}-${k}.txt`) })) }),
    );
    cases.forEach((data, i) => Object.entries(data).forEach(([k, v]) => writeFileSync(join(dir, `case${i}-${k}.txt`), v)));
    const generated = kustomize(dir);
    expect(generated).toHaveLength(cases.length);
    for (const cm of generated) {
      expect(cm.metadata.name).toBe(`${cm.metadata.name.replace(/-[a-z0-9]{10}$/, '')}-${configMapHash(cm.data)}`);
      expect(isGenerated(cm as any, cm.metadata.name.replace(/-[a-z0-9]{10}$/, ''))).toBe(true);
    }
  });

  it('no longer matches once the content is edited by hand', () => {
    const [cm] = kustomize(join(ROOT, 'solutions/l3-kustomize/deploy/kustomize/overlays/dev')).filter((o) => o.kind === 'ConfigMap');
    expect(isGenerated(cm as any, 'hello-app-config')).toBe(true);
    expect(isGenerated({ ...cm, data: { ...cm.data, LOG_LEVEL: 'warn' } } as any, 'hello-app-config')).toBe(false);
  });
});
