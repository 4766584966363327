import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import grader from '../grade/s3-bluegreen.test.js';
import { ROOT } from '../../src/paths.js';
import { grade, manifestsAt, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import { SimCluster } from '../lib/sim.js';

const NS = 's3-bluegreen';
const switchScript = join(ROOT, 'solutions/s3-bluegreen/switch.sh');

describe('s3-bluegreen on snapshots built from the real lab files', () => {
  let starterSim: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started('s3-bluegreen');
    solvedSim = await solved('s3-bluegreen');
  });

  it('the starter fails green-ready, warmup, switched and traffic, and passes rollback-ready', () => {
    const result = grade(grader, snapshotOf(starterSim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['green-ready', 'warmup', 'switched', 'traffic']);
    expect(withStatus(result, 'pass')).toEqual(['rollback-ready']);
  });

  it('the solution passes all five checks', () => {
    const result = grade(grader, snapshotOf(solvedSim, [grader]));
    expect(statuses(result)).toEqual({ 'green-ready': 'pass', warmup: 'pass', switched: 'pass', 'rollback-ready': 'pass', traffic: 'pass' });
  });

  it('a selector still on blue fails switched and traffic only', () => {
    const sim = solvedSim.fork().edit('Service', NS, 'web', (s) => void (s.spec.selector.version = 'blue'));
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['switched', 'traffic']);
  });

  it('green without minReadySeconds fails warmup only', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-green', (d) => void delete d.spec.minReadySeconds);
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['warmup']);
  });

  it('green without a readinessProbe fails warmup only', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-green', (d) => void delete d.spec.template.spec.containers[0].readinessProbe);
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['warmup']);
  });

  it('blue scaled to 0 fails rollback-ready only', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-blue', (d) => void (d.spec.replicas = 0));
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['rollback-ready']);
  });

  it('a green that runs v1 (green label, v1 image) fails green-ready only: green is the version being released', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-green', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v1'));
    const result = grade(grader, snapshotOf(sim, [grader]));
    // traffic holds: every answer is the version web-green runs (here v1), which is what it checks.
    expect(withStatus(result, 'fail')).toEqual(['green-ready']);
    const check = result.checks.find((c) => c.id === 'green-ready')!;
    expect(check.expected).toEqual({ ko: '버전 v2', en: 'version v2' });
    expect(check.observed).toEqual({ ko: '버전 v1 (이미지 kind-registry:5000/hello-app:v1)', en: 'version v1 (image kind-registry:5000/hello-app:v1)' });
  });

  it('blue scaled to 0 with a status the controller wrote before (2 available) fails rollback-ready: that status is stale', () => {
    const sim = solvedSim.fork();
    const blue = structuredClone(sim.must('Deployment', NS, 'web-blue'));
    blue.spec.replicas = 0;
    sim.write(blue); // generation bumped; the Deployment controller has not run yet
    expect(sim.must('Deployment', NS, 'web-blue').status.availableReplicas).toBe(2);
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['rollback-ready']);
    const check = result.checks.find((c) => c.id === 'rollback-ready')!;
    expect(check.observed).toEqual({
      ko: 'web-blue: 컨트롤러가 아직 최신 spec을 보지 않았음(observedGeneration 1, generation 2)',
      en: 'web-blue: the controller has not observed the latest spec yet (observedGeneration 1, generation 2)',
    });
  });

  it('blue scaled from 2 to 3 and observed by its controller passes rollback-ready: a newer generation, caught up', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-blue', (d) => void (d.spec.replicas = 3));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual([]);
    expect(result.checks.find((c) => c.id === 'rollback-ready')!.observed).toBe('web-blue: 3 available of 3');
  });

  it('traffic with failed requests fails, saying how many failed and with what', () => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    snapshot.probes!['traffic/s3-bluegreen'] = { requests: 50, versions: { v2: 45 }, errors: 5, lastError: 'HTTP 503', failures: { 'HTTP 503': 5 } };
    const result = grade(grader, snapshot);
    expect(withStatus(result, 'fail')).toEqual(['traffic']);
    const check = result.checks.find((c) => c.id === 'traffic')!;
    expect(check.observed).toEqual({ ko: '요청 50개: v2 45, 실패 5 (HTTP 503 5)', en: '50 requests: v2 45, 5 failed (HTTP 503 5)' });
    expect(check.hint!.en).toContain('failed');
  });

  it('green labelled otherwise fails green-ready, and a failure says what was expected and observed', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web-green', (d) => {
      d.spec.template.metadata.labels.version = 'v2';
      d.spec.selector.matchLabels.version = 'v2';
    });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toContain('green-ready');
    const check = result.checks.find((c) => c.id === 'green-ready')!;
    expect(check.expected).toBe('Pod label version=green');
    expect(check.observed).toContain('version=v2');
    expect(check.docs.en).toBe('docs/en/strategies/s3-bluegreen.md#deploy-green');
  });

  it('a snapshot without the traffic probe skips traffic with the reason, and judges the rest', () => {
    const snapshot = snapshotOf(solvedSim, [grader]);
    delete snapshot.probes;
    const result = grade(grader, snapshot);
    expect(statuses(result).traffic).toBe('skip');
    expect(result.checks.find((c) => c.id === 'traffic')!.reason!.en).toContain('traffic/s3-bluegreen');
    expect(withStatus(result, 'pass')).toHaveLength(4);
  });
});

describe('the switch script (solutions/s3-bluegreen/switch.sh), run with a simulated kubectl', () => {
  it('waits for web-green to be rolled out, then patches only the selector', async () => {
    const sim = await started('s3-bluegreen');
    sim.apply(manifestsAt('solutions/s3-bluegreen/web-green.yaml'));
    const run = await runWithSimKubectl(sim, switchScript, ['green']);
    expect(run.exitCode).toBe(0);
    const verbs = run.calls.map((c) => c.args.filter((a) => !a.startsWith('-') && !a.includes('kind-cicd-lab') && a !== NS).slice(0, 2).join(' '));
    expect(verbs.indexOf('rollout status')).toBeGreaterThanOrEqual(0);
    expect(verbs.indexOf('rollout status')).toBeLessThan(verbs.indexOf('patch service'));
    expect(sim.must('Service', NS, 'web').spec.selector).toEqual({ app: 'web', version: 'green' });
  });

  it('does not switch when web-green never becomes ready', async () => {
    const sim = await started('s3-bluegreen');
    sim.breakImage('kind-registry:5000/hello-app:v2');
    sim.apply(manifestsAt('solutions/s3-bluegreen/web-green.yaml'));
    const run = await runWithSimKubectl(sim, switchScript, ['green'], { TIMEOUT: '30s' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('was NOT switched');
    expect(run.calls.some((c) => c.args.includes('patch'))).toBe(false);
    expect(sim.must('Service', NS, 'web').spec.selector.version).toBe('blue');
  });

  it('rolls back with the other colour', async () => {
    const sim = await solved('s3-bluegreen');
    const run = await runWithSimKubectl(sim, switchScript, ['blue']);
    expect(run.exitCode).toBe(0);
    expect(sim.must('Service', NS, 'web').spec.selector.version).toBe('blue');
    expect(sim.traffic('s3-bluegreen.localhost', { requests: 10 }).versions).toEqual({ v1: 10 });
  });

  it('refuses an unknown colour', async () => {
    const run = await runWithSimKubectl(new SimCluster(), switchScript, ['purple']);
    expect(run.exitCode).toBe(2);
    expect(run.calls).toEqual([]);
  });
});

