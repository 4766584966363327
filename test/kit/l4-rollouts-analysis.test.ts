import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/l4-rollouts-analysis.test.js';
import { ROOT } from '../../src/paths.js';
import { failingChecks, grade, manifestsAt, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { evalCondition, evaluateResult, jsonPathValue } from '../lib/sim-analysis.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import type { SimCluster } from '../lib/sim.js';

const NS = 'l4-rollouts-analysis';
const HOST = 'l4-rollouts-analysis.localhost';
const RELEASE = join(ROOT, 'solutions/l4-rollouts-analysis/release.sh');
const en = (text: unknown) => (typeof text === 'string' ? text : (text as { en: string }).en);

/** The lab started, the learner's template and Rollout applied (or others), nothing released yet. */
async function prepared(rollout = manifestsAt('solutions/l4-rollouts-analysis/rollout.yaml'), template = manifestsAt('solutions/l4-rollouts-analysis/analysis-template.yaml')): Promise<SimCluster> {
  const sim = await started(NS);
  sim.advance(60);
  sim.apply(template).apply(rollout);
  return sim;
}
async function release(sim: SimCluster, tag: string) {
  const run = await runWithSimKubectl(sim, RELEASE, [tag]);
  expect(run.exitCode, run.stderr).toBe(0);
  return run;
}
/** A release by hand: the image (and env) of Rollout web's Pod template. */
function ship(sim: SimCluster, tag: string, env?: Record<string, string>) {
  sim.edit('Rollout', NS, 'web', (ro) => {
    const c = ro.spec.template.spec.containers[0];
    c.image = `kind-registry:5000/hello-app:${tag}`;
    if (env) c.env = Object.entries(env).map(([name, value]) => ({ name, value }));
  });
}
const runs = (sim: SimCluster) => sim.list('AnalysisRun', NS).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

describe('l4-rollouts-analysis on snapshots built from the real lab files', () => {
  let starterSim: SimCluster;
  let afterV2: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started(NS);
    starterSim.advance(60);
    afterV2 = await prepared();
    await release(afterV2, 'v2');
    solvedSim = await solved(NS);
  });

  it('the starter fails every check: no analysis, nothing released, v1 stable and answering', () => {
    const result = grade(grader, snapshotOf(starterSim, [grader]));
    expect(statuses(result)).toEqual({ template: 'fail', passed: 'fail', aborted: 'fail', stable: 'fail', traffic: 'fail' });
    expect(en(result.checks[0].observed)).toBe("no analysis step and no background analysis in web's canary strategy");
  });

  it('the solution passes all five: v2 passed its analysis, v3 failed its own and was aborted by the controller', () => {
    const result = grade(grader, snapshotOf(solvedSim, [grader]));
    expect(statuses(result)).toEqual({ template: 'pass', passed: 'pass', aborted: 'pass', stable: 'pass', traffic: 'pass' });
    expect(result.checks[0].observed).toBe('step 2: AnalysisTemplate error-rate, metric error-rate: http://web-canary.l4-rollouts-analysis.svc.cluster.local/stats; successCondition result.requests >= 10 && result.errorRate <= 0.05');
    expect(result.checks[2].observed).toMatch(/^web-\w+-3-2 Failed: Metric "error-rate" assessed Failed due to failed \(1\) > failureLimit \(0\); phase Degraded: RolloutAborted: Rollout aborted update to revision 3: Step-based analysis phase error\/failed: Metric "error-rate" assessed Failed/);
  });

  it('writes the AnalysisRuns as Argo Rollouts does: named <rollout>-<hash>-<revision>-<step>, labelled, owned, with measurements of the canary\'s own /stats', () => {
    const [v2, v3] = runs(solvedSim).sort((a, b) => a.metadata.annotations!['rollout.argoproj.io/revision'].localeCompare(b.metadata.annotations!['rollout.argoproj.io/revision']));
    expect(v2.metadata.name).toMatch(/^web-\w+-2-2$/);
    expect(v2.metadata.labels).toMatchObject({ 'rollout-type': 'Step', 'step-index': '2', app: 'web' });
    expect(v2.metadata.ownerReferences![0]).toMatchObject({ kind: 'Rollout', name: 'web' });
    expect(v2.spec.metrics[0].provider.web.url).toBe('http://web-canary.l4-rollouts-analysis.svc.cluster.local/stats');
    expect(v2.status).toMatchObject({ phase: 'Successful', runSummary: { count: 1, successful: 1, failed: 0 } });
    expect(v2.status.metricResults[0]).toMatchObject({ name: 'error-rate', phase: 'Successful', count: 3, successful: 3 });
    // 30 s at 20% of five requests a second: the canary answered 30 before the first measurement.
    expect(JSON.parse(v2.status.metricResults[0].measurements[0].value)).toEqual({ version: 'v2', requests: 30, errors: 0, errorRate: 0 });
    expect(v3.status).toMatchObject({ phase: 'Failed', message: 'Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)' });
    expect(JSON.parse(v3.status.metricResults[0].measurements[0].value)).toMatchObject({ version: 'v3', requests: 30, errors: 7 });
    const ro = solvedSim.must('Rollout', NS, 'web');
    expect(ro.status).toMatchObject({ abort: true, phase: 'Degraded', canary: { currentStepAnalysisRunStatus: { name: v3.metadata.name, status: 'Failed' }, weights: { canary: { weight: 0 } } } });
    expect(ro.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutAborted' });
  });

  it('after the abort the canary is scaled down once abortScaleDownDelaySeconds (30) have passed, and the checks still pass', () => {
    const sim = solvedSim.fork().advance(35);
    const canaryHash = sim.must('Rollout', NS, 'web').status.currentPodHash;
    expect(sim.list('ReplicaSet', NS).find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === canaryHash)?.spec.replicas).toBe(0);
    expect(failingChecks(grader, sim)).toEqual([]);
  });

  it('an abort also removes the header route a setHeaderRoute step added, and the canary Service selects the stable Pods again', async () => {
    const rollout = manifestsAt('solutions/l4-rollouts-analysis/rollout.yaml');
    const canary = rollout.find((o) => o.kind === 'Rollout')!.spec.strategy.canary;
    canary.trafficRouting.managedRoutes = [{ name: 'canary-header' }];
    canary.steps.splice(1, 0, { setHeaderRoute: { name: 'canary-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] } });
    const sim = await prepared(rollout);
    await release(sim, 'v2');
    ship(sim, 'v3', { FAIL_PERCENT: '25' });
    sim.advance(5);
    expect(sim.must('HTTPRoute', NS, 'web').spec.rules.map((r: any) => r.name ?? '-')).toEqual(['-', 'canary-header']);
    sim.advance(120);
    const ro = sim.must('Rollout', NS, 'web');
    expect(ro.status.abort).toBe(true);
    expect(sim.must('HTTPRoute', NS, 'web').spec.rules.map((r: any) => r.name ?? '-')).toEqual(['-']);
    expect(sim.must('Service', NS, 'web-canary').spec.selector['rollouts-pod-template-hash']).toBe(ro.status.stableRS);
    expect(sim.traffic(HOST, { requests: 10, headers: { 'X-Canary': 'always' } }).versions).toEqual({ v2: 10 });
    expect(failingChecks(grader, sim)).toEqual([]);
  });

  it('the release script waits for each verdict: v2 Healthy, v3 aborted', async () => {
    const sim = await prepared();
    const v2 = await release(sim, 'v2');
    expect(v2.stdout).toContain('Rollout web: Healthy');
    const v3 = await release(sim, 'v3');
    expect(v3.stdout).toContain('Rollout web: Degraded RolloutAborted: Rollout aborted update to revision 3');
    expect(failingChecks(grader, sim)).toEqual([]);
  });

  it('only v2 released fails aborted only', () => {
    expect(failingChecks(grader, afterV2)).toEqual(['aborted']);
  });

  it('in the middle of v3\'s canary (before its analysis) v3 gets a fifth of the traffic and a quarter of that fails: aborted, stable and traffic fail', () => {
    const sim = afterV2.fork();
    ship(sim, 'v3', { FAIL_PERCENT: '25' });
    sim.advance(20);
    const probe = sim.traffic(HOST, { requests: 100 });
    expect(probe.versions.v2).toBe(80);
    expect(probe.failures?.['HTTP 500']).toBeGreaterThan(0);
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['aborted', 'stable', 'traffic']);
  });

  it('a person\'s abort of v3 before its analysis fails aborted only, saying so: no run of v3 ended Failed or Error', () => {
    const sim = afterV2.fork();
    ship(sim, 'v3');
    sim.advance(10);
    // kubectl argo rollouts abort web: a patch of status.abort (pkg/kubectl-argo-rollouts/cmd/abort/abort.go).
    sim.edit('Rollout', NS, 'web', (ro) => void (ro.status.abort = true));
    sim.advance(40);
    const ro = sim.must('Rollout', NS, 'web');
    expect(ro.status.message).toBe('RolloutAborted: Rollout aborted update to revision 3');
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['aborted']);
    expect(en(result.checks[2].observed)).toBe('aborted by a person: status.abort is true but no AnalysisRun of v3 ended Failed or Error (none)');
  });

  it('a person\'s abort while v3\'s analysis runs cancels the run, which ends Successful with "Run Terminated": aborted fails', () => {
    const sim = afterV2.fork();
    ship(sim, 'v3');
    sim.advance(35); // past the 30 s pause: the analysis step has started (v3 without FAIL_PERCENT passes its first measurements)
    expect(runs(sim).some((r) => r.metadata.name.endsWith('-3-2') && r.status?.phase === 'Running')).toBe(true);
    sim.edit('Rollout', NS, 'web', (ro) => void (ro.status.abort = true));
    sim.advance(5);
    const run = runs(sim).find((r) => r.metadata.name.endsWith('-3-2'))!;
    expect(run.spec.terminate).toBe(true);
    expect(run.status).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['aborted']);
    expect(en(result.checks[2].observed)).toContain('aborted by a person');
  });

  it('v2\'s analysis canceled (a promotion, "Run Terminated") is no pass: passed fails only', () => {
    const sim = solvedSim.fork();
    const v2 = runs(sim).find((r) => r.metadata.name.endsWith('-2-2'))!;
    sim.edit('AnalysisRun', NS, v2.metadata.name, (r) => {
      r.spec.terminate = true;
      r.status.message = 'Run Terminated';
    });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['passed']);
    expect(en(result.checks[1].hint)).toContain('canceled');
  });

  it('a template that measures the stable Service, or has no condition, fails template only', () => {
    const toStable = solvedSim.fork().edit('AnalysisTemplate', NS, 'error-rate', (t) => void (t.spec.metrics[0].provider.web.url = 'http://web-stable.l4-rollouts-analysis.svc.cluster.local/stats'));
    const result = grade(grader, snapshotOf(toStable, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['template']);
    expect(en(result.checks[0].observed)).toBe('step 2: error-rate/error-rate: http://web-stable.l4-rollouts-analysis.svc.cluster.local/stats (not web-canary)');
    const noCondition = solvedSim.fork().edit('AnalysisTemplate', NS, 'error-rate', (t) => void delete t.spec.metrics[0].successCondition);
    expect(failingChecks(grader, noCondition)).toEqual(['template']);
  });

  it('a template that measures the stable Service lets the bad v3 through: it passes, becomes stable, and every fourth request fails', async () => {
    const sim = await prepared(undefined, manifestsAt('solutions/l4-rollouts-analysis/analysis-template.yaml').map((t) => ({ ...t, spec: { ...t.spec, args: [{ name: 'canary-service', value: 'web-stable' }] } })));
    sim.edit('Rollout', NS, 'web', (ro) => void (ro.spec.strategy.canary.steps[2].analysis.args[0].value = 'web-stable'));
    await release(sim, 'v2');
    await runWithSimKubectl(sim, RELEASE, ['v3']);
    sim.advance(120);
    expect(sim.must('Rollout', NS, 'web').status.phase).toBe('Healthy');
    expect(sim.traffic(HOST, { requests: 100 }).failures?.['HTTP 500']).toBe(25);
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['template', 'passed', 'aborted', 'stable', 'traffic']);
  });

  it('background analysis instead of a step passes all five', async () => {
    const rollout = manifestsAt('solutions/l4-rollouts-analysis/rollout.yaml').map((ro) => {
      const canary = ro.spec.strategy.canary;
      const step = canary.steps.find((st: any) => st.analysis);
      canary.steps = canary.steps.filter((st: any) => !st.analysis);
      canary.analysis = { ...step.analysis, startingStep: 2 };
      return ro;
    });
    const sim = await prepared(rollout);
    await release(sim, 'v2');
    await release(sim, 'v3');
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(statuses(result)).toEqual({ template: 'pass', passed: 'pass', aborted: 'pass', stable: 'pass', traffic: 'pass' });
    expect(en(result.checks[0].observed)).toMatch(/^background: AnalysisTemplate error-rate/);
    expect(sim.must('Rollout', NS, 'web').status.message).toContain('Background analysis phase error/failed: Metric "error-rate" assessed Failed');
  });

  it('an address that answers nothing makes every measurement an Error, the run ends Error after five, and that aborts too (aborted passes)', async () => {
    const template = manifestsAt('solutions/l4-rollouts-analysis/analysis-template.yaml').map((t) => {
      t.spec.metrics[0].provider.web.url = 'http://{{args.canary-service}}.l4-rollouts-analysis.svc.cluster.local/nothing-here';
      t.spec.metrics[0].count = 10;
      return t;
    });
    const sim = await prepared(undefined, template);
    await runWithSimKubectl(sim, RELEASE, ['v2']);
    sim.advance(120);
    const run = runs(sim)[0];
    expect(run.status).toMatchObject({ phase: 'Error', message: 'Metric "error-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: received non 2xx response code: 404"' });
    expect(sim.must('Rollout', NS, 'web').status.abort).toBe(true);
    expect(statuses(grade(grader, snapshotOf(sim, [grader]))).passed).toBe('fail');
  });
});

describe('the web provider\'s evaluation, as argo-rollouts evaluates it', () => {
  it('reads the value with a jsonPath: {$} is the whole body, {$.a} and {.a[0]} a part, a missing key an error', () => {
    const body = { version: 'v2', requests: 40, errorRate: 0.1, list: [{ n: 1 }] };
    expect(jsonPathValue(body, '{$}')).toEqual({ value: body });
    expect(jsonPathValue(body, '{$.errorRate}')).toEqual({ value: 0.1 });
    expect(jsonPathValue(body, '{.list[0].n}')).toEqual({ value: 1 });
    expect(jsonPathValue(body, '{$.nothing}')).toHaveProperty('error');
  });

  it('evaluates the expr conditions the labs write', () => {
    expect(evalCondition(0.04, 'result <= 0.05')).toBe(true);
    expect(evalCondition({ requests: 9, errorRate: 0 }, 'result.requests >= 10 && result.errorRate <= 0.05')).toBe(false);
    expect(evalCondition({ requests: 30, errorRate: 0 }, 'result.requests >= 10 and result.errorRate <= 0.05')).toBe(true);
    expect(evalCondition({ version: 'v2' }, 'result.version == "v2" || not (1 > 2)')).toBe(true);
    expect(evalCondition([3], 'len(result) == 1 && asFloat("0.5") * 2 == 1')).toBe(true);
    expect(() => evalCondition(1, 'result + 1')).toThrow('expected bool');
    expect(() => evalCondition(1, 'result <')).toThrow();
  });

  it('turns the conditions into a phase as EvaluateResult does: only success, only failure, both, neither', () => {
    expect(evaluateResult(0.2, { successCondition: 'result <= 0.05' }).phase).toBe('Failed');
    expect(evaluateResult(0.2, { failureCondition: 'result > 0.1' }).phase).toBe('Failed');
    expect(evaluateResult(0.05, { failureCondition: 'result > 0.1' }).phase).toBe('Successful');
    expect(evaluateResult(0.07, { successCondition: 'result <= 0.05', failureCondition: 'result > 0.1' }).phase).toBe('Inconclusive');
    expect(evaluateResult(0.2, {}).phase).toBe('Successful');
    expect(evaluateResult('x', { successCondition: 'result < 1' })).toMatchObject({ phase: 'Error' });
  });
});
