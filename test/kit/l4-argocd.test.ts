import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l4-argocd.test.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot.js';
import { grade, statuses, withStatus } from '../lib/lab-states.js';
import { ARGOCD_NAMESPACE, POLL_SECONDS } from '../lib/sim-argocd.js';
import { LAB_REPO } from '../lib/sim-gitea.js';
import { SimPlatform } from '../lib/sim-platform.js';

const own: SimPlatform[] = [];
const fork = (p: SimPlatform) => {
  const f = p.fork();
  own.push(f);
  return f;
};
const app = (p: SimPlatform, name: string) => p.cluster.must('Application', ARGOCD_NAMESPACE, name);
const editApp = (p: SimPlatform, name: string, change: (a: any) => void) => p.cluster.edit('Application', ARGOCD_NAMESPACE, name, change);
const image = (p: SimPlatform, ns: string) => p.cluster.must('Deployment', ns, 'hello-app').spec.template.spec.containers[0].image;

describe('l4-argocd on a simulated platform built from the real files', () => {
  let starter: SimPlatform;
  let solution: SimPlatform;
  beforeAll(async () => {
    // l4-argocd builds on level 3: the overlays in Gitea, and the pipeline as l3-helm left it.
    const level3 = await SimPlatform.create().solve('l2-pipeline', 'l3-kustomize', 'l3-helm');
    starter = await fork(level3).start('l4-argocd');
    solution = await fork(level3).solve('l4-argocd');
    own.push(level3);
  }, 120_000);
  afterAll(async () => {
    for (const p of own) await p.dispose();
  });

  it('the starter (two empty namespaces, no Applications) fails all six checks', () => {
    expect(withStatus(starter.grade(grader), 'fail')).toEqual(['apps', 'dev-auto', 'prod-manual', 'projects', 'synced', 'gitops']);
  });

  it('the solution passes all six: the pipeline committed l2-3 to the dev overlay and Argo CD deployed it; prod was synced by hand', () => {
    expect(statuses(solution.grade(grader))).toEqual({ apps: 'pass', 'dev-auto': 'pass', 'prod-manual': 'pass', projects: 'pass', synced: 'pass', gitops: 'pass' });
    expect(image(solution, 'l4-dev')).toBe('kind-registry:5000/hello-app:l2-3');
    expect(image(solution, 'l4-prod')).toBe('kind-registry:5000/hello-app:v1');
    expect(solution.gitea.read(LAB_REPO, 'main', 'deploy/kustomize/overlays/dev/kustomization.yaml')).toContain('newTag: l2-3');
    const dev = app(solution, 'hello-dev').status;
    expect(dev.history.map((h: any) => h.initiatedBy)).toEqual([{ automated: true }, { automated: true }]);
    expect(app(solution, 'hello-prod').status.history.map((h: any) => h.initiatedBy)).toEqual([{ username: 'lab-solve' }]);
    expect(solution.cluster.must('Deployment', 'l4-dev', 'hello-app').metadata.annotations!['argocd.argoproj.io/tracking-id']).toBe('hello-dev:apps/Deployment:l4-dev/hello-app');
  });

  it('hello-prod with automated sync fails prod-manual only', () => {
    const p = fork(solution);
    editApp(p, 'hello-prod', (a) => void (a.spec.syncPolicy = { automated: { prune: true, selfHeal: true } }));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['prod-manual']);
  });

  it('hello-prod with its automation switched off (enabled: false) counts as manual', () => {
    const p = fork(solution);
    editApp(p, 'hello-prod', (a) => void (a.spec.syncPolicy = { automated: { enabled: false, prune: true } }));
    expect(withStatus(p.grade(grader), 'fail')).toEqual([]);
  });

  it('hello-dev without selfHeal fails dev-auto only', () => {
    const p = fork(solution);
    editApp(p, 'hello-dev', (a) => void delete a.spec.syncPolicy.automated.selfHeal);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['dev-auto']);
  });

  it('hello-prod deploying the dev overlay (synced by hand, with prune) fails apps only', () => {
    const p = fork(solution);
    editApp(p, 'hello-prod', (a) => void (a.spec.source.path = 'deploy/kustomize/overlays/dev'));
    // The prod overlay's generated ConfigMap is no longer in Git: only a sync with prune removes it.
    expect(app(p, 'hello-prod').status.resources).toContainEqual(expect.objectContaining({ kind: 'ConfigMap', requiresPruning: true }));
    editApp(p, 'hello-prod', (a) => void (a.operation = { initiatedBy: { username: 'test' }, sync: { prune: true } }));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['apps']);
  });

  it('both Applications in the default project (which allows everything) fail projects only', () => {
    const p = fork(solution);
    for (const name of ['hello-dev', 'hello-prod']) editApp(p, name, (a) => void (a.spec.project = 'default'));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['projects']);
  });

  it('a dev project that allows every namespace fails projects only', () => {
    const p = fork(solution);
    p.cluster.edit('AppProject', ARGOCD_NAMESPACE, 'dev', (o) => void (o.spec.destinations = [{ server: 'https://kubernetes.default.svc', namespace: '*' }]));
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['projects']);
    expect(result.checks.find((c) => c.id === 'projects')!.observed).toEqual({ ko: 'dev의 destinations 네임스페이스: *', en: 'dev allows namespaces: *' });
  });

  it('hello-dev moved into project prod is refused by Argo CD (InvalidSpecError): projects and synced fail, with the condition as evidence', () => {
    const p = fork(solution);
    editApp(p, 'hello-dev', (a) => void (a.spec.project = 'prod'));
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['projects', 'synced']);
    expect(result.checks.find((c) => c.id === 'synced')!.evidence).toEqual([
      "hello-dev: InvalidSpecError: application destination server 'https://kubernetes.default.svc' and namespace 'l4-dev' do not match any of the allowed destinations in project 'prod'",
    ]);
  });

  it(`a commit Argo CD has not looked at yet fails synced only, until its next poll (${POLL_SECONDS} s)`, () => {
    const p = fork(solution);
    p.gitea.write(LAB_REPO, { 'NOTES.md': 'a note\n' }, 'a commit that changes no manifest');
    p.cluster.advance(30);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['synced']);
    p.cluster.advance(POLL_SECONDS);
    expect(withStatus(p.grade(grader), 'fail')).toEqual([]);
  });

  it('the pipeline without its GitOps stage (l3-helm\'s) builds l2-4, but l4-dev stays at l2-3: gitops fails only', async () => {
    const p = fork(solution);
    p.gitea.push(LAB_REPO, { Jenkinsfile: 'solutions/l3-helm/Jenkinsfile' }, 'back to deploying only');
    await p.mustBuild('hello-pipeline');
    p.cluster.advance(POLL_SECONDS);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['gitops']);
    expect(result.checks.find((c) => c.id === 'gitops')!.observed).toEqual({
      ko: '이미지 kind-registry:5000/hello-app:l2-3, 관리: hello-dev, 애너테이션 argocd.argoproj.io/tracking-id로 추적(argocd-cm에 application.resourceTrackingMethod가 없어 Argo CD 3의 기본값 annotation)',
      en: "image kind-registry:5000/hello-app:l2-3, managed by hello-dev, tracked by the annotation argocd.argoproj.io/tracking-id (argocd-cm sets no application.resourceTrackingMethod: Argo CD 3's default, annotation)",
    });
  });

  it('a Deployment applied by hand and only labelled app.kubernetes.io/instance=hello-dev is not managed by Argo CD: gitops fails', () => {
    const snapshot = solution.snapshot([grader]);
    const d = snapshot.kubernetes!.find((o) => o.kind === 'Deployment' && o.metadata.namespace === 'l4-dev')!;
    delete d.metadata.annotations!['argocd.argoproj.io/tracking-id'];
    d.metadata.labels = { ...d.metadata.labels, 'app.kubernetes.io/instance': 'hello-dev' };
    const result = grade(grader, snapshot);
    expect(withStatus(result, 'fail')).toEqual(['gitops']);
    expect(result.checks.find((c) => c.id === 'gitops')!.observed).toEqual({
      ko: '이미지 kind-registry:5000/hello-app:l2-3; 관리하는 Application 없음: label app.kubernetes.io/instance=hello-dev, 그러나 Argo CD는 애너테이션 argocd.argoproj.io/tracking-id로 추적함(argocd-cm에 application.resourceTrackingMethod가 없어 Argo CD 3의 기본값 annotation)',
      en: "image kind-registry:5000/hello-app:l2-3; managed by no Application: label app.kubernetes.io/instance=hello-dev, but Argo CD tracks by the annotation argocd.argoproj.io/tracking-id (argocd-cm sets no application.resourceTrackingMethod: Argo CD 3's default, annotation)",
    });
  });

  it('a tracking id copied onto another object does not make it managed (the id names another object)', () => {
    const snapshot = solution.snapshot([grader]);
    const d = snapshot.kubernetes!.find((o) => o.kind === 'Deployment' && o.metadata.namespace === 'l4-dev')!;
    d.metadata.annotations!['argocd.argoproj.io/tracking-id'] = 'hello-dev:/Service:l4-dev/hello-app';
    expect(withStatus(grade(grader, snapshot), 'fail')).toEqual(['gitops']);
  });

  it('with label tracking set in argocd-cm, Argo CD marks by its instance label and gitops passes, saying so', () => {
    const p = fork(solution);
    p.cluster.edit('ConfigMap', ARGOCD_NAMESPACE, 'argocd-cm', (cm) => void (cm.data['application.resourceTrackingMethod'] = 'label'));
    p.cluster.advance(POLL_SECONDS); // hello-dev re-syncs by itself (selfHeal); hello-prod is synced by hand
    editApp(p, 'hello-prod', (a) => void (a.operation = { initiatedBy: { username: 'test' }, sync: {} }));
    const d = p.cluster.must('Deployment', 'l4-dev', 'hello-app');
    // The chart's instanceLabelKey, not Argo CD's own default app.kubernetes.io/instance.
    expect(d.metadata.labels!['argocd.argoproj.io/instance']).toBe('hello-dev');
    expect(d.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBeUndefined();
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual([]);
    // argocd-cm is in the snapshot (listed with Argo CD's own selector), and survives a saved file.
    const snapshot = p.snapshot([grader]);
    expect(snapshot.kubernetes!.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name)).toEqual(['argocd-cm']);
    expect(grade(grader, parseSnapshot(serializeSnapshot(snapshot, 'json'), 'label.json'))).toEqual(result);
    expect((result.checks.find((c) => c.id === 'gitops')!.observed as { en: string }).en).toContain('managed by hello-dev, tracked by the label argocd.argoproj.io/instance (argocd-cm sets application.resourceTrackingMethod: label)');
  });

  it('a status Argo CD computed for the previous spec is stale: synced fails until it compares the new one', () => {
    const p = fork(solution);
    const dev = structuredClone(app(p, 'hello-dev'));
    dev.spec.source.targetRevision = 'HEAD';
    p.cluster.write(dev); // the controller has not reconciled yet: comparedTo still says main
    expect(app(p, 'hello-dev').status.sync).toMatchObject({ status: 'Synced', comparedTo: { source: { targetRevision: 'main' } } });
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['synced']);
    expect((result.checks.find((c) => c.id === 'synced')!.observed as { en: string }).en).toContain('hello-dev: Argo CD has not compared the current spec yet (status.sync.comparedTo source:');
    p.cluster.reconcile();
    expect(withStatus(p.grade(grader), 'fail')).toEqual([]);
  });

  it('hello-dev written with spec.sources (multi-source) passes: Argo CD reports status.sync.revisions[], not revision', () => {
    const p = fork(solution);
    editApp(p, 'hello-dev', (a) => {
      a.spec.sources = [a.spec.source];
      delete a.spec.source;
    });
    const sync = app(p, 'hello-dev').status.sync;
    expect(sync.revision).toBeUndefined();
    expect(sync.revisions).toEqual([p.gitea.branches(LAB_REPO).main]);
    expect(sync.comparedTo.sources).toHaveLength(1);
    expect(withStatus(p.grade(grader), 'fail')).toEqual([]);
  });

  it('multi-source hello-dev behind the HEAD of main fails synced, naming the revision of its source', () => {
    const p = fork(solution);
    editApp(p, 'hello-dev', (a) => {
      a.spec.sources = [a.spec.source];
      delete a.spec.source;
    });
    p.gitea.write(LAB_REPO, { 'NOTES.md': 'a note\n' }, 'a commit that changes no manifest');
    p.cluster.advance(30);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['synced']);
  });

  it('a Replay as the last successful pipeline run fails gitops: its tag comes from a script edited in Jenkins', async () => {
    const p = fork(solution);
    const last = p.jenkins.builds('hello-pipeline').at(-1)!;
    const run = await p.jenkins.replay('hello-pipeline', last.number, last.script!.replace("sh 'npm test'", "sh 'npm test'\n          echo 'replayed'"));
    expect(run.result, run.log.split('\n').slice(-30).join('\n')).toBe('SUCCESS');
    p.cluster.advance(POLL_SECONDS);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['gitops']);
    expect((result.checks.find((c) => c.id === 'gitops')!.observed as { en: string }).en).toContain('is a Replay (Replayed #');
  });

  it('a hand edit in l4-dev is put back by selfHeal; in l4-prod it stays, and hello-prod turns OutOfSync', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', 'l4-dev', 'hello-app', (d) => void (d.spec.replicas = 3));
    expect(p.cluster.must('Deployment', 'l4-dev', 'hello-app').spec.replicas).toBe(1);
    p.cluster.edit('Deployment', 'l4-prod', 'hello-app', (d) => void (d.spec.replicas = 5));
    expect(p.cluster.must('Deployment', 'l4-prod', 'hello-app').spec.replicas).toBe(5);
    expect(app(p, 'hello-prod').status.sync.status).toBe('OutOfSync');
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['synced']);
  });

  it('an object removed from Git is pruned from l4-dev (prune); hello-prod keeps it and reports it as requiring pruning', () => {
    const p = fork(solution);
    const base = p.gitea.read(LAB_REPO, 'main', 'deploy/kustomize/base/kustomization.yaml')!;
    p.gitea.write(LAB_REPO, { 'deploy/kustomize/base/kustomization.yaml': base.replace('  - service.yaml\n', '') }, 'no Service');
    p.cluster.advance(POLL_SECONDS);
    expect(p.cluster.get('Service', 'l4-dev', 'hello-app')).toBeUndefined();
    expect(p.cluster.get('Service', 'l4-prod', 'hello-app')).toBeDefined();
    expect(app(p, 'hello-prod').status.resources).toContainEqual(expect.objectContaining({ kind: 'Service', name: 'hello-app', requiresPruning: true }));
  });
});
