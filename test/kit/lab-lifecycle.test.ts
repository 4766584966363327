import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLab } from '../../src/catalog.js';
import { recordingRunner, shellLine } from '../../scripts/lib/exec.js';
import { describePlan, labJobs, lifecycle, main, resetCommands } from '../../scripts/lab.js';
import { captureLog } from '../lib/capture.js';
import { cleanEnv, tsx } from '../lib/cli.js';
import { startFakeApiServer, writeKubeconfig, type FakeApiServer } from '../lib/fake-apiserver.js';
import { closedPort } from '../lib/fake-http.js';

let api: FakeApiServer;
let labConfig: string;
let prodOnly: string;
beforeAll(async () => {
  api = await startFakeApiServer([]);
  labConfig = writeKubeconfig(api.url, ['kind-cicd-lab', 'gke_prod'], 'gke_prod');
  prodOnly = writeKubeconfig(api.url, ['gke_prod']);
});
afterAll(() => api.close());

const env = (kubeconfig: string, extra: Record<string, string> = {}) => ({ ...cleanEnv({ KUBECONFIG: kubeconfig }), ...extra });

describe('npm run lab -- start|solve|reset, through the live executor', () => {
  it('start applies the lab\'s starter on kind-cicd-lab even when the current context is another', async () => {
    const runner = recordingRunner();
    expect(await lifecycle('start', ['s3-bluegreen'], env(labConfig), runner, () => undefined)).toBe(0);
    expect(runner.calls.map(shellLine)).toEqual(['kubectl --context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab-labs -k labs/s3-bluegreen']);
  });

  it('solve runs start again (idempotent) and then the solution steps, the script with LAB_CONTEXT', async () => {
    const runner = recordingRunner();
    await lifecycle('solve', ['s3-bluegreen'], env(labConfig), runner, () => undefined);
    expect(runner.calls.map((c) => shellLine({ ...c, cmd: c.cmd.replace(/^.*\/solutions\//, 'solutions/') }))).toEqual([
      'kubectl --context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab-labs -k labs/s3-bluegreen',
      'kubectl --context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab-labs -f solutions/s3-bluegreen/web-green.yaml',
      'LAB_CONTEXT=kind-cicd-lab solutions/s3-bluegreen/switch.sh green',
    ]);
  });

  it('reset deletes the lab\'s namespaces and waits until they are gone, then starts again', async () => {
    const runner = recordingRunner();
    await lifecycle('reset', ['s3-bluegreen'], env(labConfig), runner, () => undefined);
    expect(runner.calls.map(shellLine)).toEqual([
      'kubectl --context kind-cicd-lab delete namespace s3-bluegreen --ignore-not-found --wait=true --timeout=300s',
      'kubectl --context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab-labs -k labs/s3-bluegreen',
    ]);
  });

  it('reset of a Jenkins lab puts the build pods\' RoleBinding back, and names the jobs it deletes', () => {
    const lab = { ...getLab('l2-pipeline'), start: [{ 'jenkins-job': { name: 'hello-pipeline', config: 'solutions/l2-pipeline/config.xml' } }] };
    expect(resetCommands(lab, 'kind-cicd-lab').map(shellLine)).toEqual([
      'kubectl --context kind-cicd-lab delete namespace l2-pipeline --ignore-not-found --wait=true --timeout=300s',
      'kubectl --context kind-cicd-lab apply --server-side --force-conflicts --field-manager cicd-lab -f platform/manifests/lab-builder-rbac.yaml',
    ]);
    expect(labJobs(lab)).toEqual(['hello-pipeline']);
    expect(describePlan(lab, 'reset', 'kind-cicd-lab')).toContain('• delete Jenkins job hello-pipeline');
  });

  it('a named context is used as named (--context or LAB_CONTEXT)', async () => {
    const runner = recordingRunner();
    await lifecycle('start', ['s3-bluegreen', '--context', 'gke_prod'], env(prodOnly), runner, () => undefined);
    expect(runner.calls[0].args.slice(0, 2)).toEqual(['--context', 'gke_prod']);
  });

  it('refuses a kubeconfig without the lab\'s context and runs nothing', async () => {
    const runner = recordingRunner();
    const error = await lifecycle('solve', ['s3-bluegreen'], env(prodOnly), runner, () => undefined).catch((e) => e);
    expect(error.message).toContain("The lab's context kind-cicd-lab is not in the kubeconfig");
    expect(error.message).toContain('current context: gke_prod');
    expect(runner.calls).toEqual([]);
  });

  it('start --catch-up --dry-run grades the prerequisites live (read only) and prints the plan, running no step', async () => {
    const runner = recordingRunner();
    const out = captureLog();
    const jenkins = `http://127.0.0.1:${await closedPort()}`;
    expect(await lifecycle('start', ['l3-helm', '--catch-up', '--dry-run'], env(labConfig, { JENKINS_URL: jenkins, LAB_LANG: 'en' }), runner, () => 'full')).toBe(0);
    const stdout = out.stop();
    // Nothing of l2-pipeline is on this empty cluster: it would be solved, then l3-helm started.
    expect(stdout).toMatch(/^Catching up to l3-helm: its prerequisites as graded now, in course order:\n {2}→ l2-pipeline {2}failing: job, stages, build, deploy — solved \(as lab solve does\)\n {2}→ l3-helm {6}started \(lab start\)\n/);
    expect(stdout).toContain('(--dry-run: graded only; nothing was changed.)');
    expect(runner.calls).toEqual([]);
  });

  it('refuses, in one line naming the profile to add, a lab whose components this install has not', async () => {
    for (const command of ['start', 'solve', 'reset'] as const) {
      const runner = recordingRunner();
      const error = await lifecycle(command, ['l2-pipeline'], env(labConfig, { LAB_LANG: 'en' }), runner, () => 'strategies').catch((e) => e);
      expect(error).toMatchObject({ exitCode: 2, message: 'l2-pipeline needs the full profile, but this platform is strategies (missing: gitea, jenkins, argocd, rollouts). Add it: npm run up -- --profile full' });
      expect(runner.calls).toEqual([]);
    }
    // --catch-up checks every lab it would solve too; a plain dry run only shows.
    await expect(lifecycle('start', ['l4-argocd', '--catch-up', '--dry-run'], env(labConfig), recordingRunner(), () => 'strategies')).rejects.toThrow('l2-pipeline needs the full profile');
    expect(await lifecycle('start', ['l2-pipeline', '--dry-run'], env(labConfig), recordingRunner(), () => 'strategies')).toBe(0);
    // The strategy labs run on it; with no profile recorded (an install from before profiles) nothing is refused.
    expect(await lifecycle('start', ['s5-db-migration'], env(labConfig), recordingRunner(), () => 'strategies')).toBe(0);
    expect(await lifecycle('start', ['l1-freestyle'], env(labConfig), recordingRunner(), () => undefined)).toBe(0);
  });

  it('--catch-up belongs to start only', async () => {
    await expect(lifecycle('solve', ['l3-helm', '--catch-up'], env(labConfig), recordingRunner())).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("Unknown option '--catch-up'") });
  });

  it('says the cluster does not answer before running any step', async () => {
    const runner = recordingRunner();
    const dead = writeKubeconfig(`http://127.0.0.1:${await closedPort()}`, ['kind-cicd-lab']);
    const error = await lifecycle('start', ['s3-bluegreen'], env(dead), runner, () => undefined).catch((e) => e);
    expect(error.message).toContain('connection refused');
    expect(runner.calls).toEqual([]);
  });
});

describe('the lab command line', () => {
  it('lab start without a cluster exits 2 with one message (no stack trace)', async () => {
    const r = await tsx('scripts/lab.ts', ['start', 's3-bluegreen'], cleanEnv());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('✗ No kubeconfig found (looked at /nonexistent/.kube/config), so there is no lab cluster yet. Create or restart the lab cluster with `npm run up` (Docker must be running).');
  });

  it('--dry-run shows the steps and commands in Korean, and runs nothing', async () => {
    const out = captureLog();
    expect(await main(['solve', 's3-bluegreen', '--dry-run'], cleanEnv({ LAB_LANG: 'ko' }))).toBe(0);
    const stdout = out.stop();
    expect(stdout).toContain('s3-bluegreen solve (컨텍스트 kind-cicd-lab) — 실행하지 않고 보여 주기만 합니다:');
    expect(stdout).toContain('$ LAB_CONTEXT=kind-cicd-lab solutions/s3-bluegreen/switch.sh green');
  });

  it('list --solvable --profile <name>: the labs that profile runs (the e2e workflow solves those on the strategies platform)', async () => {
    const listed = async (...args: string[]) => {
      const out = captureLog();
      expect(await main(['list', '--solvable', ...args], cleanEnv())).toBe(0);
      return out.stop().trim().split('\n');
    };
    expect(await listed('--profile', 'strategies')).toEqual(['s1-recreate', 's2-rolling', 's3-bluegreen', 's4-canary', 's5-db-migration', 's6-rollback']);
    expect(await listed('--profile', 'full')).toEqual(await listed());
    expect(await listed()).toContain('l4-argocd');
    await expect(main(['list', '--solvable', '--profile', 'tiny'], cleanEnv())).rejects.toThrow('Unknown profile "tiny": strategies | full');
  });

  it('rejects an unknown lab and a missing one with the usage', async () => {
    await expect(main(['start', 's9-nope'], cleanEnv())).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('There is no lab "s9-nope"') });
    await expect(main(['reset'], cleanEnv())).rejects.toThrow('usage: npm run lab -- reset <lab> [--context <name>] [--dry-run]');
  });
});
