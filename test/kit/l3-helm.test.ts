import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l3-helm.test.js';
import { decodeHelmRelease } from '../../src/kube/helm.js';
import { ROOT } from '../../src/paths.js';
import { statuses, withStatus } from '../lib/lab-states.js';
import { storedReleases } from '../lib/sim-helm.js';
import { SimPlatform } from '../lib/sim-platform.js';
import { parseManifests, run } from '../lib/tools.js';
import { schemaErrors } from '../lib/validate.js';

const NS = 'l3-helm';
const SOLUTION_CHART = join(ROOT, 'solutions/l3-helm/deploy/helm/hello-app');
const SKELETON_CHART = join(ROOT, 'labs/app/deploy/helm/hello-app');
const own: SimPlatform[] = [];
const fork = (p: SimPlatform) => {
  const f = p.fork();
  own.push(f);
  return f;
};
const history = (p: SimPlatform) => storedReleases(p.cluster, NS, 'hello-app').map(({ release: r }) => `v${r.version} ${r.info?.status} ${(r.config as any)?.image?.tag}`);

describe('the hello-app chart, with the real helm', () => {
  it('passes helm lint, as the learner gets it and as the solution leaves it', () => {
    for (const chart of [SKELETON_CHART, SOLUTION_CHART]) expect(run('helm', ['lint', chart])).toContain('0 chart(s) failed');
  });

  it('renders objects that validate against their schemas, with the platform\'s image', () => {
    for (const chart of [SKELETON_CHART, SOLUTION_CHART]) {
      const objects = parseManifests(run('helm', ['template', 'hello-app', chart, '--namespace', NS, '--set', 'image.tag=x']));
      expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Service']);
      for (const o of objects) expect(schemaErrors(o), `${chart}: ${o.kind}`).toEqual([]);
    }
  });

  it('renders the tag given at deploy time only once the template uses .Values.image.tag', () => {
    const image = (chart: string, ...set: string[]) =>
      parseManifests(run('helm', ['template', 'hello-app', chart, '--namespace', NS, ...set])).find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].image;
    expect(image(SOLUTION_CHART, '--set', 'image.tag=x')).toBe('kind-registry:5000/hello-app:x');
    expect(image(SOLUTION_CHART)).toBe('kind-registry:5000/hello-app:v1');
    expect(image(SKELETON_CHART, '--set', 'image.tag=x')).toBe('kind-registry:5000/hello-app:v1');
  });
});

describe('l3-helm on a simulated platform built from the real files', () => {
  let starter: SimPlatform;
  let solution: SimPlatform;
  beforeAll(async () => {
    // l3-helm builds on l2-pipeline: the job hello-pipeline exists and has run once (l2-1).
    const l2 = await SimPlatform.create().solve('l2-pipeline');
    starter = await fork(l2).start('l3-helm');
    solution = await fork(l2).solve('l3-helm');
    own.push(l2);
  });
  afterAll(async () => {
    for (const p of own) await p.dispose();
  });

  it('the starter (an empty namespace, the pipeline of l2) fails all four checks', () => {
    expect(withStatus(starter.grade(grader), 'fail')).toEqual(['release', 'upgraded', 'injected-tag', 'pipeline']);
  });

  it('the solution (installed by hand with v1, then upgraded by the pipeline with l2-2) passes all four', () => {
    expect(statuses(solution.grade(grader))).toEqual({ release: 'pass', upgraded: 'pass', 'injected-tag': 'pass', pipeline: 'pass' });
    expect(history(solution)).toEqual(['v1 superseded v1', 'v2 deployed l2-2']);
  });

  it('stores each revision as Helm does, and the snapshot keeps what the graders read of the redacted Secret', () => {
    const secret = solution.snapshot([grader]).kubernetes!.find((o) => o.kind === 'Secret' && o.metadata.name === 'sh.helm.release.v1.hello-app.v2')!;
    expect(secret.type).toBe('helm.sh/release.v1');
    expect(secret.metadata.labels).toEqual({ name: 'hello-app', owner: 'helm', status: 'deployed', version: '2' });
    const release = decodeHelmRelease(secret)!;
    expect(release).toMatchObject({ name: 'hello-app', namespace: NS, version: 2, info: { status: 'deployed' }, chart: { metadata: { name: 'hello-app', appVersion: 'v1' } }, config: { image: { tag: 'l2-2' } } });
    expect(release.manifest).toBeUndefined();
  });

  it('a release installed once, with the pipeline\'s tag, and never upgraded (revision 1) fails upgraded only', async () => {
    const p = fork(starter);
    const r = await p.run('solutions/l3-helm/install.sh', ['l2-1']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['upgraded']);
  });

  it('a template that ignores image.tag (the skeleton chart), deployed by the pipeline, fails injected-tag only', async () => {
    const p = fork(starter);
    p.gitea.push('lab/hello-app', { Jenkinsfile: 'solutions/l3-helm/Jenkinsfile' }, 'Deploy with Helm, chart unchanged');
    expect((await p.run('solutions/l3-helm/install.sh', ['v1', SKELETON_CHART])).exitCode).toBe(0);
    await p.mustBuild('hello-pipeline');
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['injected-tag']);
    expect(result.checks.find((c) => c.id === 'injected-tag')!.observed).toEqual({ ko: '이미지 kind-registry:5000/hello-app:v1', en: 'image kind-registry:5000/hello-app:v1' });
  });

  it('an upgrade by hand with another tag after the pipeline fails pipeline only', async () => {
    const p = fork(solution);
    expect((await p.run('solutions/l3-helm/install.sh', ['v2'])).exitCode).toBe(0);
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['pipeline']);
  });

  it('the release\'s Deployment scaled to 0 fails injected-tag only: the tag is set, but nothing runs it', () => {
    const p = fork(solution);
    p.cluster.edit('Deployment', 'l3-helm', 'hello-app', (d) => void (d.spec.replicas = 0));
    expect(withStatus(p.grade(grader), 'fail')).toEqual(['injected-tag']);
  });

  it('a Replay of the pipeline as the last successful run fails pipeline: its tag does not come from a run from SCM', async () => {
    const p = fork(solution);
    const last = p.jenkins.builds('hello-pipeline').at(-1)!;
    const run = await p.jenkins.replay('hello-pipeline', last.number);
    expect(run.result).toBe('SUCCESS');
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['pipeline']);
    expect((result.checks.find((c) => c.id === 'pipeline')!.observed as { en: string }).en).toContain(`run #${run.number} is a Replay (Rebuilt #${last.number})`);
  });

  it('an upgrade to a tag the registry does not have times out and leaves the release failed', async () => {
    const p = fork(solution);
    const r = await p.run('solutions/l3-helm/install.sh', ['no-such-tag']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('UPGRADE FAILED: context deadline exceeded');
    expect(history(p)).toEqual(['v1 superseded v1', 'v2 deployed l2-2', 'v3 failed no-such-tag']);
    const result = p.grade(grader);
    expect(withStatus(result, 'fail')).toEqual(['release', 'injected-tag', 'pipeline']);
    expect(result.checks[0].observed).toBe('revision 3 failed (UPGRADE FAILED: context deadline exceeded)');
  });
});
