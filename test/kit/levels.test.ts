/**
 * Levels 1–4 as one course, the way the e2e workflow runs them: `lab solve` for each lab in
 * catalog order on ONE platform, then every check of every lab. Each level changes the pipeline a
 * little; none may undo what an earlier lab's checks need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/catalog.js';
import { resultDetails } from '../../src/checks.js';
import { loadGraders, type Grader } from '../../src/engine.js';
import { grade } from '../lib/lab-states.js';
import { SimPlatform } from '../lib/sim-platform.js';

const LEVEL_LABS = ['l1-freestyle', 'l2-pipeline', 'l3-kustomize', 'l3-helm', 'l4-argocd'];

describe('levels 1–4 solved in order on one simulated platform', () => {
  let platform: SimPlatform;
  let graders: Grader[];
  const seconds: Record<string, number> = {};
  beforeAll(async () => {
    graders = await loadGraders(LEVEL_LABS);
    platform = SimPlatform.create();
    for (const lab of LEVEL_LABS) {
      const start = performance.now();
      await platform.solve(lab);
      seconds[lab] = (performance.now() - start) / 1000;
    }
    console.log(`solved in order: ${LEVEL_LABS.map((l) => `${l} ${seconds[l].toFixed(1)} s`).join(', ')}`);
  }, 180_000);
  afterAll(async () => platform?.dispose());

  it('are taken in this order by the catalog', () => {
    const order = catalog().labs.map((l) => l.id).filter((id) => LEVEL_LABS.includes(id));
    expect(order).toEqual(LEVEL_LABS);
  });

  it('then pass every check of all five labs, on one snapshot', () => {
    const snapshot = platform.snapshot(graders);
    const failures = graders.flatMap((g) => grade(g, snapshot).checks.filter((c) => c.status !== 'pass').map((c) => `${g.lab} [${c.id}] ${resultDetails(c, 'en').join(' | ')}`));
    expect(failures).toEqual([]);
  });

  it('leave each earlier environment with the last pipeline run: l2-pipeline, l3-helm and l4-dev all run l2-3', () => {
    expect(platform.jenkins.builds('hello-pipeline').map((b) => b.result)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    for (const ns of ['l2-pipeline', 'l3-helm', 'l4-dev']) {
      expect(platform.cluster.must('Deployment', ns, 'hello-app').spec.template.spec.containers[0].image, ns).toBe('kind-registry:5000/hello-app:l2-3');
    }
    expect(platform.cluster.must('Deployment', 'l1-freestyle', 'hello-app').spec.template.spec.containers[0].image).toBe('kind-registry:5000/hello-app:l1-1');
  });

  it('leave a history in Gitea: one commit per lab that changes the repository, plus the pipeline\'s own', () => {
    const log = platform.gitea.log('lab/hello-app');
    expect(log).toEqual([
      'dev: hello-app l2-3',
      'GitOps: the pipeline commits the tag to the dev overlay (l4-argocd)',
      'Helm chart with the tag injected at deploy time; Deploy releases with Helm (l3-helm)',
      'Kustomize: base with a configMapGenerator, overlays dev and prod (l3-kustomize)',
      'Jenkinsfile: Build → Container Build → Deploy (l2-pipeline)',
      'Initial commit: hello-app',
    ]);
  });
});
