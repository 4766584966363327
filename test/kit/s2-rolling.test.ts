import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s2-rolling.test.js';
import { failingChecks, grade, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import type { SimCluster } from '../lib/sim.js';

const NS = 's2-rolling';
const V2 = 'kind-registry:5000/hello-app:v2';

describe('s2-rolling on snapshots built from the real lab files', () => {
  let starterSim: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started(NS);
    solvedSim = await solved(NS);
  });
  const failing = (sim: SimCluster) => failingChecks(grader, sim);
  const strategy = (rollingUpdate: object) => (d: any) => void (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate });

  it('the starter fails all three: the default 25%/25% (one Pod of four may go first), no readinessProbe, v1', () => {
    const result = grade(grader, snapshotOf(starterSim, [grader]));
    expect(statuses(result)).toEqual({ strategy: 'fail', readiness: 'fail', updated: 'fail' });
    expect(result.checks[0].observed).toBe('RollingUpdate, maxUnavailable 25% → 1 of 4, maxSurge 25% → 1 of 4');
  });

  it('the solution passes all three', () => {
    const result = grade(grader, snapshotOf(solvedSim, [grader]));
    expect(statuses(result)).toEqual({ strategy: 'pass', readiness: 'pass', updated: 'pass' });
    expect(result.checks.map((c) => c.observed)).toEqual(['RollingUpdate, maxUnavailable 0, maxSurge 1', 'readinessProbe httpGet /readyz', 'v2; 4/4 updated, 4/4 available, observed generation 2 of 2']);
  });

  it('v2 scaled to 0 replicas fails updated only: nothing runs, so nothing runs v2', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.replicas = 0));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    expect(result.checks[2].observed).toContain('scaled to 0');
  });

  it('APP_VERSION=v2 on the v1 image fails updated only, naming both', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => {
      const c = d.spec.template.spec.containers[0];
      c.image = 'kind-registry:5000/hello-app:v1';
      c.env = [{ name: 'APP_VERSION', value: 'v2' }];
    });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    expect((result.checks[2].observed as { en: string }).en).toBe('image kind-registry:5000/hello-app:v1 (version v1) with APP_VERSION=v2: the image tag decides the version');
  });

  it('maxSurge 0 fails strategy only: with nothing unavailable and no surge, the rollout could never start', () => {
    expect(failing(solvedSim.fork().edit('Deployment', NS, 'web', strategy({ maxUnavailable: 0, maxSurge: 0 })))).toEqual(['strategy']);
  });

  it('maxUnavailable 25% of 4 replicas (one Pod) fails strategy only', () => {
    expect(failing(solvedSim.fork().edit('Deployment', NS, 'web', strategy({ maxUnavailable: '25%', maxSurge: 1 })))).toEqual(['strategy']);
  });

  it('resolves percentages as Kubernetes does: maxUnavailable 10% of 4 rounds down to 0, maxSurge 1% rounds up to 1, and passes', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', strategy({ maxUnavailable: '10%', maxSurge: '1%' }));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(statuses(result).strategy).toBe('pass');
    expect(result.checks[0].observed).toBe('RollingUpdate, maxUnavailable 10% → 0 of 4, maxSurge 1% → 1 of 4');
  });

  it('Recreate fails strategy only', () => {
    expect(failing(solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.strategy = { type: 'Recreate' })))).toEqual(['strategy']);
  });

  it('no readinessProbe fails readiness only, and any kind of probe passes it', () => {
    expect(failing(solvedSim.fork().edit('Deployment', NS, 'web', (d) => void delete d.spec.template.spec.containers[0].readinessProbe))).toEqual(['readiness']);
    const tcp = solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].readinessProbe = { tcpSocket: { port: 'http' } }));
    expect(failing(tcp)).toEqual([]);
  });

  it('the right strategy and probe while still on v1 fail updated only', () => {
    expect(failing(solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v1')))).toEqual(['updated']);
  });

  it('a v2 that never becomes ready fails updated only, while v1 keeps serving (no downtime)', () => {
    const sim = starterSim.fork();
    sim.breakImage(V2);
    sim.edit('Deployment', NS, 'web', (d) => {
      d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
      d.spec.template.spec.containers[0].readinessProbe = { httpGet: { path: '/readyz', port: 'http' } };
      d.spec.template.spec.containers[0].image = V2;
    });
    // Until progressDeadlineSeconds (600 by default) pass without progress, the rollout still counts as progressing…
    expect(grade(grader, snapshotOf(sim, [grader])).checks[2].evidence!.join('\n')).toContain('Progressing=True (ReplicaSetUpdated');
    sim.advance(605);
    // …then the Deployment controller says it stalled.
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    expect(result.checks[2].evidence!.join('\n')).toContain('ProgressDeadlineExceeded');
    expect(sim.traffic('s2-rolling.localhost', { requests: 20 }).versions).toEqual({ v1: 20 });
  });
});
