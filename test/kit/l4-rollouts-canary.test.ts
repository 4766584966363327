import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l4-rollouts-canary.test.js';
import { ROOT } from '../../src/paths.js';
import { CANARY_SAMPLE } from '../../src/probes.js';
import { canaryFailureProbability } from '../lib/stats.js';
import { failingChecks, grade, manifestsAt, platformSim, snapshotOf, solved, started, statuses } from '../lib/lab-states.js';
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
