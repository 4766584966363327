import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l4-rollouts-canary.test.js';
import { ROOT } from '../../src/paths.js';
import { CANARY_SAMPLE } from '../../src/probes.js';
import { canaryFailureProbability } from '../lib/stats.js';
import { failingChecks, grade, manifestsAt, platformSim, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import { SimCluster } from '../lib/sim.js';

const NS = 'l4-rollouts-canary';
const lab = 'l4-rollouts-canary';
const platform = platformSim;
const failing = (sim: SimCluster) => failingChecks(grader, sim);
const weights = (sim: SimCluster) => Object.fromEntries(sim.must('HTTPRoute', NS, 'web').spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]));

/** The starter with a changed Rollout manifest, released to v2. */
async function releasedWith(change: (rollout: any) => void): Promise<SimCluster> {
  const sim = await started(lab, platform());
  const rollout = manifestsAt(`solutions/${lab}/rollout.yaml`)[0];
  change(rollout);
  sim.apply(rollout);
  await runWithSimKubectl(sim, join(ROOT, 'solutions/l4-rollouts-bluegreen/release.sh'), ['v2'], { NAMESPACE: NS, TIMEOUT: '20s' });
  return sim;
}

/**
 * The starter with the solution's Rollout changed to take its pod template from Deployment web
 * (workloadRef, the documented migration path), which it scales down once it runs.
 */
async function withWorkloadRef(): Promise<SimCluster> {
  const sim = await started(lab, platform());
  const rollout = manifestsAt(`solutions/${lab}/rollout.yaml`)[0];
  delete rollout.spec.template;
  rollout.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'onsuccess' };
  sim.apply(rollout);
  expect(sim.must('Rollout', NS, 'web').status.phase).toBe('Healthy');
  expect(sim.must('Deployment', NS, 'web').spec.replicas).toBe(0);
  return sim;
}

describe('l4-rollouts-canary on snapshots built from the real lab files', () => {
  let starter: SimCluster;
  let solution: SimCluster;
  beforeAll(async () => {
    starter = await started(lab, platform());
    solution = await solved(lab, platform());
  });

  it('the starter fails all three checks', () => {
    expect(failing(starter)).toEqual(['rollout', 'paused-at-20', 'traffic']);
  });

  it('the solution passes all three: paused at 20% with the plugin\'s 80/20 on HTTPRoute web', () => {
    expect(statuses(grade(grader, snapshotOf(solution, [grader])))).toEqual({ rollout: 'pass', 'paused-at-20': 'pass', traffic: 'pass' });
    expect(weights(solution)).toEqual({ 'web-stable': 80, 'web-canary': 20 });
    expect(solution.must('Rollout', NS, 'web').status.canary.weights).toMatchObject({ canary: { weight: 20, serviceName: 'web-canary' }, stable: { weight: 80, serviceName: 'web-stable' } });
  });

  it('a pause with a duration after setWeight 20 fails rollout only (nobody decides)', async () => {
    const sim = await releasedWith((ro) => (ro.spec.strategy.canary.steps[1] = { pause: { duration: '1h' } }));
    expect(failing(sim)).toEqual(['rollout']);
  });

  it('promoted once more, paused at 50%: paused-at-20 and traffic fail', async () => {
    const sim = solution.fork();
    const run = await runWithSimKubectl(sim, join(ROOT, 'solutions/l4-rollouts-bluegreen/promote.sh'), [], { NAMESPACE: NS, TIMEOUT: '20s' });
    expect(run.exitCode).toBe(1); // it pauses again at the 30 s step instead of becoming Healthy within 20 s
    expect(weights(sim)).toEqual({ 'web-stable': 50, 'web-canary': 50 });
    expect(failing(sim)).toEqual(['paused-at-20', 'traffic']);
  });

  it('HTTPRoute weights changed by hand to 50/50 fail paused-at-20 and traffic, not rollout', () => {
    const sim = solution.fork();
    const route = structuredClone(sim.must('HTTPRoute', NS, 'web'));
    route.spec.rules[0].backendRefs.forEach((b: any) => (b.weight = 50));
    sim.write(route); // written after the controller's last reconcile
    expect(failing(sim)).toEqual(['paused-at-20', 'traffic']);
  });

  it('weights given as 4/1 are the same 20% as 80/20', () => {
    const sim = solution.fork();
    const route = structuredClone(sim.must('HTTPRoute', NS, 'web'));
    route.spec.rules[0].backendRefs[0].weight = 4;
    route.spec.rules[0].backendRefs[1].weight = 1;
    sim.write(route);
    expect(failing(sim)).toEqual([]);
  });

  it('without the Gateway API plugin, rollout fails and no traffic moves', async () => {
    const sim = await releasedWith((ro) => delete ro.spec.strategy.canary.trafficRouting);
    expect(failing(sim)).toEqual(['rollout', 'paused-at-20', 'traffic']);
    expect(weights(sim)).toEqual({ 'web-stable': 100, 'web-canary': 0 });
  });

  it('without trafficRouting, rollout fails with a hint about traffic routing, not about the pause', async () => {
    const sim = await releasedWith((ro) => delete ro.spec.strategy.canary.trafficRouting);
    const rollout = grade(grader, snapshotOf(sim, [grader])).checks.find((c) => c.id === 'rollout')!;
    expect(rollout.observed).toBe('trafficRouting none');
    expect(rollout.hint!.en).toContain('trafficRouting');
    expect(rollout.hint!.en).not.toContain('waits for a person');
  });

  it('setWeight 20, then setHeaderRoute (X-Canary, as s4 teaches), then an indefinite pause rests at 20% and passes all three', async () => {
    const sim = await releasedWith((ro) => {
      const canary = ro.spec.strategy.canary;
      canary.trafficRouting.managedRoutes = [{ name: 'canary-header' }];
      canary.steps.splice(1, 0, { setHeaderRoute: { name: 'canary-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] } });
    });
    expect(failing(sim)).toEqual([]);
    // The plugin added a rule for the header, sending it to the canary only; plain requests keep the 80/20 split.
    expect(sim.must('HTTPRoute', NS, 'web').spec.rules.map((r: any) => r.name ?? '-')).toEqual(['-', 'canary-header']);
    expect(sim.traffic('l4-rollouts-canary.localhost', { requests: 10, headers: { 'X-Canary': 'always' } }).versions).toEqual({ v2: 10 });
    expect(sim.traffic('l4-rollouts-canary.localhost', { requests: 10 }).versions).toEqual({ v1: 8, v2: 2 });
  });

  it('a setWeight between setWeight 20 and the pause moves the weight on: rollout, paused-at-20 and traffic fail', async () => {
    const sim = await releasedWith((ro) => {
      const canary = ro.spec.strategy.canary;
      canary.trafficRouting.managedRoutes = [{ name: 'canary-header' }];
      canary.steps.splice(1, 0, { setHeaderRoute: { name: 'canary-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] } }, { setWeight: 40 });
    });
    expect(failing(sim)).toEqual(['rollout', 'paused-at-20', 'traffic']);
  });

  it('weights set on a rule plain requests never reach fail paused-at-20, saying where GET / goes', async () => {
    const sim = await started(lab, platform());
    sim.edit('HTTPRoute', NS, 'web', (r) => {
      r.spec.rules = [
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'web-stable', port: 80, weight: 100 }, { name: 'web-canary', port: 80, weight: 0 }] },
        { backendRefs: [{ name: 'web-stable', port: 80 }] },
      ];
    });
    sim.apply(manifestsAt(`solutions/${lab}/rollout.yaml`));
    await runWithSimKubectl(sim, join(ROOT, 'solutions/l4-rollouts-bluegreen/release.sh'), ['v2'], { NAMESPACE: NS, TIMEOUT: '20s' });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['paused-at-20', 'traffic']);
    // The plugin sets the weight of every ref to a Service it knows, so the second rule says web-stable 80 — of one backend.
    expect(result.checks.find((c) => c.id === 'paused-at-20')!.observed).toBe('GET / → rule 2 (all requests): web-stable 80');
  });

  it('a Rollout whose pod template comes from Deployment web (workloadRef) passes all three once the Deployment runs v2', async () => {
    const sim = await withWorkloadRef();
    sim.edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v2'));
    const ro = sim.must('Rollout', NS, 'web');
    expect(ro.spec.template).toBeUndefined();
    expect(ro.status).toMatchObject({ phase: 'Paused', workloadObservedGeneration: String(sim.must('Deployment', NS, 'web').metadata.generation) });
    expect(failing(sim)).toEqual([]);
  });

  it('with workloadRef, a Deployment still on v1 fails paused-at-20, naming where the template comes from', async () => {
    const sim = await withWorkloadRef();
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['paused-at-20', 'traffic']);
    const { currentPodHash, stableRS } = sim.must('Rollout', NS, 'web').status;
    expect((result.checks.find((c) => c.id === 'paused-at-20')!.observed as { en: string }).en).toBe(
      `template version v1 (image kind-registry:5000/hello-app:v1, from Deployment web); no canary in progress (currentPodHash ${currentPodHash} = stableRS ${stableRS})`,
    );
  });

  it('with workloadRef, a Deployment change the controller has not seen yet fails paused-at-20 as stale', async () => {
    const sim = await withWorkloadRef();
    sim.edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v2'));
    const deployment = structuredClone(sim.must('Deployment', NS, 'web'));
    deployment.spec.template.metadata.labels.touched = 'yes';
    sim.write(deployment); // a new generation the Rollouts controller has not reconciled
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toContain('paused-at-20');
    expect((result.checks.find((c) => c.id === 'paused-at-20')!.observed as { en: string }).en).toMatch(/has not observed Deployment web's latest spec yet \(workloadObservedGeneration \d+, generation \d+\)/);
  });

  it('the plugin pointed at another HTTPRoute fails rollout, and the Rollout reports it', async () => {
    const sim = await releasedWith((ro) => (ro.spec.strategy.canary.trafficRouting.plugins['argoproj-labs/gatewayAPI'].httpRoute = 'webb'));
    expect(failing(sim)).toContain('rollout');
    expect(sim.must('Rollout', NS, 'web').status.phase).toBe('Degraded');
  });
});

describe('the canary traffic sample', () => {
  it(`is the ${CANARY_SAMPLE} requests of s4-canary, so that a correct 80/20 split fails less than 1 time in 1,000`, () => {
    expect(grader.needs.probes!['traffic/l4-rollouts-canary']).toEqual({ type: 'traffic', host: 'l4-rollouts-canary.localhost', requests: CANARY_SAMPLE });
    expect(canaryFailureProbability(CANARY_SAMPLE)).toBeLessThan(0.001);
  });
});
