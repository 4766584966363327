import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l4-rollouts-bluegreen.test.js';
import { ROOT } from '../../src/paths.js';
import { failingChecks, grade, manifestsAt, platformSim, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import { ROLLOUT_HASH } from '../lib/sim-rollouts.js';
import { SimCluster } from '../lib/sim.js';

const NS = 'l4-rollouts-bluegreen';
const lab = 'l4-rollouts-bluegreen';
const script = (name: string) => join(ROOT, 'solutions', lab, name);
const platform = platformSim;
const failing = (sim: SimCluster) => failingChecks(grader, sim);

/** Starter, then the Rollout applied and v2 released, but not promoted. */
async function awaitingPromotion(): Promise<SimCluster> {
  const sim = await started(lab, platform());
  sim.apply(manifestsAt(`solutions/${lab}/rollout.yaml`));
  const run = await runWithSimKubectl(sim, script('release.sh'), ['v2']);
  expect(run.exitCode, run.stderr).toBe(0);
  return sim;
}

describe('l4-rollouts-bluegreen on snapshots built from the real lab files', () => {
  let starter: SimCluster;
  let solution: SimCluster;
  beforeAll(async () => {
    starter = await started(lab, platform());
    solution = await solved(lab, platform());
  });

  it('the starter (a Deployment) fails both checks, and says the Deployment is where to start', () => {
    const result = grade(grader, snapshotOf(starter, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['rollout', 'promoted']);
    expect(result.checks[0].evidence?.[0]).toContain('Deployment web still runs the app');
  });

  it('the solution passes both checks: v2 promoted, Healthy, web-active on its pod hash', () => {
    const result = grade(grader, snapshotOf(solution, [grader]));
    expect(statuses(result)).toEqual({ rollout: 'pass', promoted: 'pass' });
    const ro = solution.must('Rollout', NS, 'web');
    expect(solution.must('Service', NS, 'web-active').spec.selector[ROLLOUT_HASH]).toBe(ro.status.currentPodHash);
    expect(solution.traffic('l4-rollouts-bluegreen.localhost', { requests: 10 }).versions).toEqual({ v2: 10 });
  });

  it('v2 waiting on the preview Service fails promoted only, with a hint to promote', async () => {
    const sim = await awaitingPromotion();
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['promoted']);
    const promoted = result.checks.find((c) => c.id === 'promoted')!;
    expect(promoted.observed).toBe('phase Paused (BlueGreenPause)');
    expect(promoted.hint?.en).toContain('promote');
    // What learners see meanwhile: users on v1, testers on v2.
    expect(sim.traffic('l4-rollouts-bluegreen.localhost', { requests: 10 }).versions).toEqual({ v1: 10 });
    expect(sim.traffic('preview.l4-rollouts-bluegreen.localhost', { requests: 10 }).versions).toEqual({ v2: 10 });
  });

  it('autoPromotionEnabled left on fails rollout only (it promotes without a person)', async () => {
    const sim = await started(lab, platform());
    const rollout = manifestsAt(`solutions/${lab}/rollout.yaml`)[0];
    delete rollout.spec.strategy.blueGreen.autoPromotionEnabled;
    sim.apply(rollout);
    await runWithSimKubectl(sim, script('release.sh'), ['v2'], { TIMEOUT: '20s' });
    expect(failing(sim)).toEqual(['rollout']);
  });

  it('a previewService other than web-preview fails rollout', () => {
    const sim = solution.fork().edit('Rollout', NS, 'web', (ro) => void (ro.spec.strategy.blueGreen.previewService = 'web-active'));
    expect(failing(sim)).toContain('rollout');
  });

  it('a status the controller wrote for an older spec is not trusted: promoted fails', () => {
    const sim = solution.fork();
    const ro = structuredClone(sim.must('Rollout', NS, 'web'));
    ro.spec.replicas = 3; // still v2, but a spec the controller has not seen
    sim.write(ro); // generation bumped, controller not run yet
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['promoted']);
    expect(result.checks[1].observed).toEqual({
      ko: expect.stringContaining('observedGeneration 2, generation 3'),
      en: 'the controller has not observed the latest spec yet (observedGeneration 2, generation 3)',
    });
  });

  it('the stale-status rule is what fails: the same snapshot with observedGeneration current passes', () => {
    const sim = solution.fork();
    const ro = structuredClone(sim.must('Rollout', NS, 'web'));
    ro.metadata.labels = { ...ro.metadata.labels, touched: 'yes' }; // metadata only: generation unchanged
    sim.write(ro);
    expect(failing(sim)).toEqual([]);
  });

  it('a Rollout whose pod template comes from Deployment web (workloadRef) is read from that Deployment: v2 promoted passes', async () => {
    const sim = await started(lab, platform());
    const rollout = manifestsAt(`solutions/${lab}/rollout.yaml`)[0];
    delete rollout.spec.template;
    rollout.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'onsuccess' };
    sim.apply(rollout);
    sim.edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v2'));
    const before = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(before, 'fail')).toEqual(['promoted']);
    expect(before.checks[1].observed).toBe('phase Paused (BlueGreenPause)');
    const run = await runWithSimKubectl(sim, script('promote.sh'));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(statuses(grade(grader, snapshotOf(sim, [grader])))).toEqual({ rollout: 'pass', promoted: 'pass' });
  });

  it('with workloadRef and the Deployment still on v1, promoted fails with the version the Deployment gives', async () => {
    const sim = await started(lab, platform());
    const rollout = manifestsAt(`solutions/${lab}/rollout.yaml`)[0];
    delete rollout.spec.template;
    rollout.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    sim.apply(rollout);
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['promoted']);
    expect(result.checks[1].observed).toEqual({
      ko: '버전 v1 (이미지 kind-registry:5000/hello-app:v1, Deployment web에서)',
      en: 'version v1 (image kind-registry:5000/hello-app:v1, from Deployment web)',
    });
  });

  it('keeps the old version for scaleDownDelaySeconds after the switch, then scales it down', async () => {
    const sim = await awaitingPromotion();
    const old = sim.must('Rollout', NS, 'web').status.stableRS;
    const run = await runWithSimKubectl(sim, script('promote.sh'));
    expect(run.exitCode, run.stderr).toBe(0);
    const oldRs = () => sim.list('ReplicaSet', NS).find((rs) => rs.metadata.labels?.[ROLLOUT_HASH] === old)!;
    expect(oldRs().spec.replicas).toBe(2);
    sim.advance(31);
    expect(oldRs().spec.replicas).toBe(0);
  });
});

describe('the release and promote scripts, run with a simulated kubectl', () => {
  it('release.sh waits for Healthy, removes the starter Deployment, and stops at the pause', async () => {
    const sim = await awaitingPromotion();
    expect(sim.get('Deployment', NS, 'web')).toBeUndefined();
    expect(sim.must('Rollout', NS, 'web').status.pauseConditions).toEqual([expect.objectContaining({ reason: 'BlueGreenPause' })]);
  });

  it('release.sh refuses a missing tag, and promote.sh refuses a rollout that is not paused', async () => {
    const sim = await solved(lab, platform());
    expect((await runWithSimKubectl(sim, script('release.sh'), [])).exitCode).toBe(2);
    const promote = await runWithSimKubectl(sim, script('promote.sh'));
    expect(promote.exitCode).toBe(1);
    expect(promote.stderr).toContain('not paused');
    expect(promote.calls.some((c) => c.args.includes('patch'))).toBe(false);
  });

  it('release.sh stops and says so when the Rollout never becomes Healthy', async () => {
    const sim = await started(lab, platform());
    sim.breakImage('kind-registry:5000/hello-app:v1');
    sim.apply(manifestsAt(`solutions/${lab}/rollout.yaml`));
    const run = await runWithSimKubectl(sim, script('release.sh'), ['v2'], { TIMEOUT: '20s' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('is not Healthy');
    expect(sim.get('Deployment', NS, 'web')).toBeDefined();
  });
});
