import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s6-rollback.test.js';
import { ROOT } from '../../src/paths.js';
import { failingChecks, grade, manifestsAt, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import { REVISION, REVISION_HISTORY, revisionOf, type SimCluster } from '../lib/sim.js';
import { tempDir } from '../lib/temp.js';

const NS = 's6-rollback';
const HOST = 's6-rollback.localhost';
const DRILL = join(ROOT, 'solutions/s6-rollback/drill.sh');
const work = tempDir('s6-rollback');

/** kubectl on the simulated cluster, as a learner types it at the repository root. */
async function kubectl(sim: SimCluster, ...args: string[]) {
  const file = join(work, 'k.sh');
  writeFileSync(file, `#!/usr/bin/env bash\ncd ${JSON.stringify(ROOT)}\nkubectl --context kind-cicd-lab -n ${NS} ${args.map((a) => `'${a}'`).join(' ')}\n`, { mode: 0o755 });
  return runWithSimKubectl(sim, file);
}
const release = (sim: SimCluster) => kubectl(sim, 'patch', 'deployment', 'web', '--patch-file', 'labs/s6-rollback/release-v3.yaml');
const sets = (sim: SimCluster) => sim.list('ReplicaSet', NS).sort((a, b) => revisionOf(a) - revisionOf(b));
const tagOf = (rs: any) => rs.spec.template.spec.containers[0].image.split(':').pop();

describe('s6-rollback on snapshots built from the real lab files', () => {
  let starterSim: SimCluster;
  let guardedSim: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started(NS);
    starterSim.advance(60);
    guardedSim = starterSim.fork().apply(manifestsAt('solutions/s6-rollback/web.yaml')).advance(60);
    solvedSim = await solved(NS);
  });

  it('the starter fails guarded, tried and undone; its v2 answers every request', () => {
    const result = grade(grader, snapshotOf(starterSim, [grader]));
    expect(statuses(result)).toEqual({ guarded: 'fail', tried: 'fail', undone: 'fail', traffic: 'pass' });
    expect((result.checks[0].observed as { en: string }).en).toBe('RollingUpdate, maxUnavailable 1, maxSurge 1; no readinessProbe; progressDeadlineSeconds 600');
  });

  it('the solution passes all four: v2 at a revision newer than v3, the old number kept in revision-history', () => {
    const result = grade(grader, snapshotOf(solvedSim, [grader]));
    expect(statuses(result)).toEqual({ guarded: 'pass', tried: 'pass', undone: 'pass', traffic: 'pass' });
    expect(result.checks[2].observed).toBe('v2 at revision 4, v3 at 3; revisions: 1 v2, 3 v3, 4 v2 (was 2)');
    const current = sets(solvedSim).at(-1)!;
    expect(current.metadata.annotations).toMatchObject({ [REVISION]: '4', [REVISION_HISTORY]: '2' });
    expect(solvedSim.must('Deployment', NS, 'web').metadata.annotations?.[REVISION]).toBe('4');
  });

  it('the drill script guards, releases, sees the rollout stop at the progress deadline, and undoes it', async () => {
    const sim = await started(NS);
    sim.advance(60);
    const run = await runWithSimKubectl(sim, DRILL);
    expect(run.exitCode, run.stderr).toBe(0);
    const verbs = run.calls.map((c) => c.args.filter((a) => !a.startsWith('-') && !a.includes('kind-cicd-lab') && a !== NS).slice(0, 2).join(' '));
    expect(verbs).toEqual(['get deployment', `apply ${join(ROOT, 'solutions/s6-rollback/web.yaml')}`, 'rollout status', 'patch deployment', 'rollout status', 'rollout history', 'rollout undo', 'rollout status']);
    expect(run.calls[4]).toMatchObject({ exitCode: 1, stderr: 'error: deployment "web" exceeded its progress deadline' });
    expect(run.calls[5].stdout).toContain('REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         <none>');
    expect(run.calls[6].stdout.trim()).toBe('deployment.apps/web rolled back');
    expect(failingChecks(grader, sim)).toEqual([]);
  });

  it('stops with the reason before releasing when the lab is not started', async () => {
    const run = await runWithSimKubectl((await import('../lib/lab-states.js')).platformSim(), DRILL);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('npm run lab -- start s6-rollback');
    expect(run.calls.some((c) => c.args.includes('patch'))).toBe(false);
  });

  it('guarded, v3 stalls: nobody sees an error, the Deployment says ProgressDeadlineExceeded once the deadline passes, and the Pod says which setting is missing', async () => {
    const sim = guardedSim.fork();
    expect((await release(sim)).exitCode).toBe(0);
    sim.advance(30);
    const progressing = () => sim.must('Deployment', NS, 'web').status.conditions.find((c: any) => c.type === 'Progressing');
    expect(progressing()).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    sim.advance(40); // past the guard's 60 s without progress
    expect(progressing()).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    // maxUnavailable 0: three v2 Pods still serve; one v3 Pod (the surge) tries and is never ready.
    expect(sets(sim).map((rs) => [tagOf(rs), rs.spec.replicas, rs.status.availableReplicas ?? 0])).toEqual([
      ['v2', 0, 0],
      ['v2', 3, 3],
      ['v3', 1, 0],
    ]);
    expect(sim.traffic(HOST, { requests: 60 })).toMatchObject({ versions: { v2: 60 } });
    expect(sim.traffic(HOST, { requests: 60 }).failures).toBeUndefined();
    const v3Pod = sim.list('Pod', NS).find((p) => p.spec.containers[0].image.endsWith(':v3'))!;
    expect(sim.appOf(v3Pod)?.config?.missingSettings).toEqual(['PAYMENT_URL']);
    expect(sim.list('Event', NS).map((e) => e.message)).toContain('Readiness probe failed: HTTP probe failed with statuscode: 503');
    // Graded in the middle of the drill: guarded and tried pass, the rollback is still to do.
    expect(failingChecks(grader, sim)).toEqual(['undone']);
  });

  it('unguarded, the same release reaches every user: without a readinessProbe each v3 Pod counts as ready once it runs, so the rollout completes and every request gets 503', async () => {
    const sim = starterSim.fork();
    expect((await release(sim)).exitCode).toBe(0);
    sim.advance(30);
    expect(sim.traffic(HOST, { requests: 60 })).toMatchObject({ versions: {}, failures: { 'HTTP 503': 60 } });
    expect(sets(sim).map((rs) => [tagOf(rs), rs.spec.replicas])).toEqual([
      ['v2', 0],
      ['v3', 3],
    ]);
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['guarded', 'undone', 'traffic']);
  });

  it('without a readinessProbe fails guarded only (the change rolls out as a newer v2 revision)', () => {
    expect(failingChecks(grader, solvedSim.fork().edit('Deployment', NS, 'web', (d) => void delete d.spec.template.spec.containers[0].readinessProbe).advance(30))).toEqual(['guarded']);
  });

  it('the default progress deadline (600 s), or one above 120 s, fails guarded only', () => {
    expect(failingChecks(grader, solvedSim.fork().edit('Deployment', NS, 'web', (d) => void delete d.spec.progressDeadlineSeconds))).toEqual(['guarded']);
    expect(failingChecks(grader, solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.progressDeadlineSeconds = 121)))).toEqual(['guarded']);
    expect(failingChecks(grader, solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.progressDeadlineSeconds = 120)))).toEqual([]);
  });

  it('maxUnavailable 1 fails guarded only; 25% of 3 replicas resolves to 0 and passes', () => {
    const strategy = (maxUnavailable: number | string) => (d: any) => void (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge: 1 } });
    expect(failingChecks(grader, solvedSim.fork().edit('Deployment', NS, 'web', strategy(1)))).toEqual(['guarded']);
    expect(failingChecks(grader, solvedSim.fork().edit('Deployment', NS, 'web', strategy('25%')))).toEqual([]);
  });

  it('guarded but never released fails tried, and undone with it: there is nothing to have undone', () => {
    const result = grade(grader, snapshotOf(guardedSim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['tried', 'undone']);
    expect(result.checks[2].observed).toEqual({ ko: 'v3의 ReplicaSet이 없어 되돌린 것이 없음; revisions: 1 v2, 2 v2', en: 'no ReplicaSet of v3, so nothing was undone; revisions: 1 v2, 2 v2' });
  });

  it('left stuck on v3 fails undone only: v2 still answers every request', async () => {
    const sim = guardedSim.fork();
    await release(sim);
    sim.advance(120);
    expect(failingChecks(grader, sim)).toEqual(['undone']);
  });

  it('undo twice goes back to v3 (the revision before the current one) and fails undone only', async () => {
    const sim = solvedSim.fork();
    expect((await kubectl(sim, 'rollout', 'undo', 'deployment/web')).exitCode).toBe(0);
    sim.advance(120);
    expect(tagOf(sets(sim).at(-1))).toBe('v3');
    expect(failingChecks(grader, sim)).toEqual(['undone']);
  });

  it('fixing forward (v3 given PAYMENT_URL) is no rollback: undone and traffic fail, v3 answers', async () => {
    const sim = guardedSim.fork();
    await release(sim);
    sim.edit('Deployment', NS, 'web', (d) => void d.spec.template.spec.containers[0].env.push({ name: 'PAYMENT_URL', value: 'http://payments' }));
    sim.advance(120);
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['undone', 'traffic']);
    expect(sim.traffic(HOST, { requests: 10 }).versions).toEqual({ v3: 10 });
  });

  it('rollout undo --to-revision picks that revision; an unknown one, a template that already matches, and a paused Deployment are answered as kubectl does', async () => {
    const sim = solvedSim.fork();
    expect((await kubectl(sim, 'rollout', 'undo', 'deployment/web', '--to-revision=9')).stderr.trim()).toBe('error: unable to find specified revision 9 in history');
    expect((await kubectl(sim, 'rollout', 'undo', 'deployment/web', '--to-revision=4')).stdout.trim()).toBe('deployment.apps/web skipped rollback (current template already matches revision 4)');
    expect((await kubectl(sim, 'rollout', 'undo', 'deployment/web', '--to-revision=1')).stdout.trim()).toBe('deployment.apps/web rolled back');
    sim.advance(60);
    // The starter's template comes back as revision 5, remembering it was 1.
    expect(sets(sim).map((rs) => [revisionOf(rs), tagOf(rs), rs.metadata.annotations?.[REVISION_HISTORY]])).toEqual([
      [3, 'v3', undefined],
      [4, 'v2', '2'],
      [5, 'v2', '1'],
    ]);
    sim.edit('Deployment', NS, 'web', (d) => void (d.spec.paused = true));
    expect((await kubectl(sim, 'rollout', 'undo', 'deployment/web')).stderr).toContain('you cannot rollback a paused deployment');
  });
});
