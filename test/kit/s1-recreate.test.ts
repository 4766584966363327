import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import grader from '../grade/s1-recreate.test.js';
import { ROOT } from '../../src/paths.js';
import { grade, snapshotOf, solved, started, statuses, withStatus } from '../lib/lab-states.js';
import { runWithSimKubectl } from '../lib/sim-kubectl.js';
import { SimCluster } from '../lib/sim.js';

const NS = 's1-recreate';
const script = join(ROOT, 'solutions/s1-recreate/recreate.sh');
const V2 = 'kind-registry:5000/hello-app:v2';

describe('s1-recreate on snapshots built from the real lab files', () => {
  let starterSim: SimCluster;
  let solvedSim: SimCluster;
  beforeAll(async () => {
    starterSim = await started(NS);
    solvedSim = await solved(NS);
  });

  it('the starter fails strategy and updated: the default RollingUpdate, still on v1', () => {
    const result = grade(grader, snapshotOf(starterSim, [grader]));
    expect(statuses(result)).toEqual({ strategy: 'fail', updated: 'fail' });
    expect(result.checks[0].observed).toBe('RollingUpdate, maxUnavailable 25% → 0 of 3, maxSurge 25% → 1 of 3');
  });

  it('the solution passes both checks', () => {
    expect(statuses(grade(grader, snapshotOf(solvedSim, [grader])))).toEqual({ strategy: 'pass', updated: 'pass' });
  });

  it('v2 rolled out with the default RollingUpdate fails strategy only', () => {
    const sim = starterSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].image = V2));
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual(['strategy']);
  });

  it('Recreate while still on v1 fails updated only, saying which version runs and why', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.template.spec.containers[0].image = 'kind-registry:5000/hello-app:v1'));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    expect(result.checks[1].expected).toEqual({ ko: '버전 v2', en: 'version v2' });
    expect(result.checks[1].observed).toEqual({ ko: '버전 v1 (이미지 kind-registry:5000/hello-app:v1)', en: 'version v1 (image kind-registry:5000/hello-app:v1)' });
  });

  it('Recreate to a v2 that never starts fails updated only, with the Deployment\'s condition and the pull error as evidence', () => {
    const sim = starterSim.fork();
    sim.breakImage(V2);
    sim.edit('Deployment', NS, 'web', (d) => {
      d.spec.strategy = { type: 'Recreate' };
      d.spec.template.spec.containers[0].image = V2;
    });
    sim.advance(605); // past progressDeadlineSeconds (600 by default) without progress
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    const evidence = result.checks[1].evidence!.join('\n');
    expect(evidence).toContain('ProgressDeadlineExceeded');
    // Recreate stopped every v1 Pod first: nothing serves while v2 cannot start (the outage the lab shows).
    expect(sim.must('Deployment', NS, 'web').status.availableReplicas).toBeUndefined();
  });

  it('APP_VERSION=v2 on the v1 image fails updated only: the image decides the version, and the message says so', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => {
      const c = d.spec.template.spec.containers[0];
      c.image = 'kind-registry:5000/hello-app:v1';
      c.env = [...(c.env ?? []), { name: 'APP_VERSION', value: 'v2' }];
    });
    // The app answers what APP_VERSION says, so live traffic would claim v2 too: only the image tells.
    expect(sim.traffic('s1-recreate.localhost', { requests: 4 }).versions).toEqual({ v2: 4 });
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    const updated = result.checks[1];
    expect(updated.observed).toEqual({
      ko: '이미지 kind-registry:5000/hello-app:v1(버전 v1)에 APP_VERSION=v2: 버전은 이미지 태그가 정함',
      en: 'image kind-registry:5000/hello-app:v1 (version v1) with APP_VERSION=v2: the image tag decides the version',
    });
    expect(updated.hint!.en).toContain('APP_VERSION');
  });

  it('an APP_VERSION that agrees with the image tag (v2 on the v2 image) passes', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => {
      const c = d.spec.template.spec.containers[0];
      c.env = [...(c.env ?? []), { name: 'APP_VERSION', value: 'v2' }];
    });
    expect(statuses(grade(grader, snapshotOf(sim, [grader])))).toEqual({ strategy: 'pass', updated: 'pass' });
  });

  it('v2 scaled to 0 replicas fails updated only: a workload that runs nothing does not run v2', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.replicas = 0));
    const result = grade(grader, snapshotOf(sim, [grader]));
    expect(withStatus(result, 'fail')).toEqual(['updated']);
    expect(result.checks[1].observed).toContain('scaled to 0');
  });

  it('v2 on a single replica passes: any number of replicas from 1 runs it', () => {
    const sim = solvedSim.fork().edit('Deployment', NS, 'web', (d) => void (d.spec.replicas = 1));
    expect(withStatus(grade(grader, snapshotOf(sim, [grader])), 'fail')).toEqual([]);
  });
});

describe('the solution script (solutions/s1-recreate/recreate.sh), run with a simulated kubectl', () => {
  const verbs = (run: Awaited<ReturnType<typeof runWithSimKubectl>>) =>
    run.calls.map((c) => c.args.filter((a) => !a.startsWith('-') && a !== 'kind-cicd-lab' && a !== NS).slice(0, 2).join(' '));

  it('changes the strategy first (removing the default rollingUpdate), then the image, then waits for the rollout', async () => {
    const sim = await started(NS);
    const run = await runWithSimKubectl(sim, script);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(verbs(run)).toEqual(['get deployment', 'patch deployment', 'patch deployment', 'rollout status']);
    expect(run.calls[1].args).toEqual(expect.arrayContaining(['--type', 'merge', '--patch-file', join(ROOT, 'solutions/s1-recreate/strategy.yaml')]));
    expect(run.calls[2].args).toEqual(expect.arrayContaining(['--patch-file', join(ROOT, 'solutions/s1-recreate/v2.yaml')]));
    expect(sim.must('Deployment', NS, 'web').spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('refuses to run before the lab is started, saying how to start it', async () => {
    const run = await runWithSimKubectl(new SimCluster(), script);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('npm run lab -- start s1-recreate');
    expect(run.calls.some((c) => c.args.includes('patch'))).toBe(false);
  });

  it('stops with the reason when v2 never becomes ready', async () => {
    const sim = await started(NS);
    sim.breakImage(V2);
    const run = await runWithSimKubectl(sim, script, [], { TIMEOUT: '30s' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('web did not finish rolling out');
  });
});

describe('the traffic watcher (labs/s1-recreate/watch.sh), against the real app', () => {
  const watch = join(ROOT, 'labs/s1-recreate/watch.sh');
  let app: ChildProcess;
  let port: number;
  beforeAll(async () => {
    app = spawn(process.execPath, [join(ROOT, 'labs/app/src/server.js')], { env: { PATH: process.env.PATH, PORT: '0', APP_VERSION: 'v1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    // As soon as the app says where it listens, however long a busy machine takes to start it.
    let out = '';
    port = await new Promise<number>((resolve, reject) => {
      app.stdout!.on('data', (c) => {
        out += c;
        const m = /listening on :(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      app.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening:\n${out}`)));
    });
  });
  afterAll(() => void app?.kill('SIGKILL'));
  const run = () => spawnSync(watch, ['s1-recreate'], { encoding: 'utf8', env: { ...process.env, LAB_GATEWAY_PORT: String(port), COUNT: '3', INTERVAL: '0.05' } });

  it('prints one line per request with the version that answered, and a count at the end', () => {
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Watching http://s1-recreate.localhost:${port}/`);
    expect(r.stdout.match(/^\d\d:\d\d:\d\d {2}v1 /gm)).toHaveLength(3);
    expect(r.stdout.trim().endsWith('3 answered, 0 failed')).toBe(true);
  });

  it('shows a request that got no answer as such: the downtime of a Recreate', async () => {
    app.kill('SIGKILL');
    await new Promise((r) => app.once('exit', r));
    const r = run();
    expect(r.stdout.match(/no answer \(no connection\)/g)).toHaveLength(3);
    expect(r.stdout.trim().endsWith('0 answered, 3 failed')).toBe(true);
  });
});
