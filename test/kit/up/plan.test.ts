/**
 * The plan of `npm run up` as a whole (scripts/lib/up/plan.ts, steps.ts): what it does on a fresh
 * machine and on a converged platform, how it prints, `--only` and `--dry-run`. What one component's
 * steps do is in that component's file beside this one.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../../src/platform.js';
import { shellLine } from '../../../scripts/lib/exec.js';
import { COMPONENTS, platformFull } from '../../../scripts/lib/platform.js';
import { converge, describeAction, plan, renderPlan } from '../../../scripts/lib/up/plan.js';
import { containerdHosts } from '../../../scripts/lib/up/renderers/containerd-hosts.js';
import { COMPONENT_STEPS, upSteps } from '../../../scripts/lib/up/steps.js';
import { selectSteps } from '../../../scripts/up.js';
import { cleanEnv, tsx } from '../../lib/cli.js';
import { tempDir } from '../../lib/temp.js';
import { actionLines, convergedState, fakeContext, FakeMachine, freshState, testCredentials, todo } from '../../lib/fake-platform.js';

const creds = testCredentials();
const STEP_IDS = upSteps().map((s) => s.id);

describe('the steps of npm run up', () => {
  it('come one module per component, in the order up builds them, each step naming its module\'s component', () => {
    expect(COMPONENT_STEPS.map(([c]) => c)).toEqual(['registry', 'cluster', 'gateway', 'images', 'gitea', 'jenkins', 'argocd', 'rollouts']);
    expect([...COMPONENTS].sort()).toEqual(COMPONENT_STEPS.map(([c]) => c).sort());
    for (const [component, steps] of COMPONENT_STEPS) for (const s of steps()) expect(s.component, s.id).toBe(component);
    expect(new Set(STEP_IDS).size).toBe(STEP_IDS.length);
    expect(upSteps(['gitea', 'registry']).map((s) => s.id)).toEqual(['credentials', 'registry', 'mirrors', 'gitea-namespace', 'gitea-secret', 'gitea', 'gitea-route', 'gitea-seed']);
  });

  it('make each component its own namespaces and route: a profile without a component leaves no trace of it in the cluster', async () => {
    const { ctx } = fakeContext(freshState());
    const applied = (steps: ReturnType<typeof upSteps>) =>
      steps
        .filter((s) => s.id !== 'codespaces-proxy') // a container on the host, not an object in the cluster
        .flatMap((s) => s.actions(ctx))
        .flatMap((a) => (a.kind === 'cmd' ? [`${a.cmd.args.join(' ')} ${a.cmd.input ?? ''}`] : []));
    const strategies = applied(upSteps(['registry', 'cluster', 'gateway', 'images'])).join('\n');
    for (const ns of ['gitea', 'jenkins', 'argocd', 'argo-rollouts']) {
      expect(strategies).not.toContain(`"name":"${ns}"`);
      expect(strategies).not.toContain(`--namespace ${ns} `);
    }
    expect(strategies).not.toContain('platform/manifests/routes/');
    expect(strategies).toContain('"name":"nginx-gateway"');
    const full = applied(upSteps()).join('\n');
    for (const c of ['gitea', 'jenkins', 'argocd']) expect(full).toContain(`platform/manifests/routes/${c}.yaml`);
    for (const ns of ['gitea', 'jenkins', 'argocd', 'argo-rollouts', 'nginx-gateway']) expect(full).toContain(`"name":"${ns}"`);
  });
});

describe('the plan of npm run up on a fresh machine', () => {
  it('has every step to do except the image build when labs/app has no Dockerfile (and the Codespaces proxy outside a codespace), in component order', async () => {
    const { ctx } = fakeContext(freshState());
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(STEP_IDS.filter((id) => id !== 'images' && id !== 'codespaces-proxy'));
    expect(planned.find((p) => p.step.id === 'images')!.observation.reason).toContain('labs/app/Dockerfile does not exist yet');
    const order = [...new Set(planned.map((p) => p.step.component))];
    expect(order).toEqual(['registry', 'cluster', 'gateway', 'images', 'gitea', 'jenkins', 'argocd', 'rollouts']);
  });

  it('names kind-cicd-lab in every kubectl and helm command, never the current context', async () => {
    const { ctx } = fakeContext(freshState());
    const planned = await plan(upSteps(), ctx);
    const cmds = planned.flatMap((p) => [...p.actions, ...p.ready]).filter((a) => a.kind === 'cmd').map((a) => (a.kind === 'cmd' ? a.cmd : undefined)!);
    const kube = cmds.filter((c) => c.cmd === 'kubectl' || c.cmd === 'helm');
    expect(kube.length).toBeGreaterThan(10);
    for (const c of kube) expect(c.args.slice(0, 2), shellLine(c)).toEqual([c.cmd === 'helm' ? '--kube-context' : '--context', 'kind-cicd-lab']);
  });

  it('waits for readiness with a deadline after each workload, never with a sleep', async () => {
    const { ctx } = fakeContext(freshState());
    const planned = await plan(upSteps(), ctx);
    const waits = planned.flatMap((p) => p.ready.map(describeAction));
    expect(waits.length).toBeGreaterThanOrEqual(8);
    for (const w of waits) expect(w).toMatch(/--timeout=\d+s/);
    expect(JSON.stringify(planned.map((p) => p.actions.map(describeAction)))).not.toMatch(/\bsleep\b/);
  });

  it('prints a readable plan in English and Korean that says what it saw', async () => {
    const { ctx } = fakeContext(freshState());
    const planned = await plan(upSteps(), ctx);
    const en = renderPlan(planned, 'en');
    expect(en).toContain('→ [cluster] kind cluster cicd-lab — no kind cluster cicd-lab');
    expect(en).toContain('then waits (with a deadline):');
    const ko = renderPlan(planned, 'ko');
    expect(ko).toContain('kind 클러스터 cicd-lab');
    expect(ko).toContain('준비 확인(기한 있음):');
  });

  it('never prints a password: Secrets are applied from stdin and shown by name', async () => {
    creds.install();
    const { ctx } = fakeContext(freshState());
    const text = renderPlan(await plan(upSteps(), ctx), 'en');
    for (const secret of ['j-pass', 'g-pass', 'j-token', 'a-pass']) expect(text).not.toContain(secret);
    expect(text).toContain('apply Secret jenkins/jenkins-admin from .lab/credentials.json (values not shown)');
  });

  it('converging runs the actions of each step, then its readiness check', async () => {
    const { ctx, runner } = fakeContext(freshState());
    const steps = upSteps().filter((s) => ['credentials', 'containerd', 'gateway-api', 'gateway'].includes(s.id));
    await converge(steps, ctx);
    expect(statSync(creds.file()).mode & 0o777).toBe(0o600);
    expect(readCredentials().jenkins?.password).toHaveLength(24);
    const lines = runner.calls.map(shellLine);
    const hosts = containerdHosts(platformFull, {});
    expect(lines.filter((l) => l.startsWith('docker exec -i cicd-lab-control-plane'))).toHaveLength(hosts.length);
    const apply = lines.findIndex((l) => l.includes('apply') && l.includes('gateway.yaml'));
    const wait = lines.findIndex((l) => l.includes('--for=condition=Programmed'));
    expect(apply).toBeGreaterThan(-1);
    expect(wait).toBeGreaterThan(apply);
  });
});

describe('the plan of npm run up on a converged platform', () => {
  it('has nothing to do: every step says what it found, and only readiness checks remain', async () => {
    creds.install();
    const { ctx } = fakeContext(freshState());
    ctx.machine = new FakeMachine(convergedState(ctx));
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual([]);
    expect(actionLines(planned)).toEqual([]);
    expect(planned.find((p) => p.step.id === 'gitea-seed')!.observation.reason).toContain('not seeded again');
  });

  it('re-running converge runs only read-only readiness checks (kubectl wait / rollout status)', async () => {
    creds.install();
    const { ctx, runner, lines } = fakeContext(freshState());
    ctx.machine = new FakeMachine(convergedState(ctx));
    const runs = await converge(upSteps(), ctx);
    expect(runs.every((r) => !r.changed)).toBe(true);
    const verbs = runner.calls.map((c) => c.args.slice(2, 5).join(' '));
    for (const v of verbs) expect(v).toMatch(/^(wait |-n \S+ (rollout|wait))/);
    expect(lines.filter((l) => l.startsWith('✓')).length).toBe(STEP_IDS.length);
    expect(lines.join('\n')).toMatch(/✓ \[jenkins\] Jenkins \(JCasC, plugins, lab-builder pod template\) \(\d+\.\ds\) — already so/);
  });

  it('plans again for exactly what drifted: other chart values, a stopped registry, a stale hosts.toml, a changed app', async () => {
    creds.install();
    const root = tempDir('root');
    mkdirSync(join(root, 'labs', 'app'), { recursive: true });
    writeFileSync(join(root, 'labs', 'app', 'Dockerfile'), 'FROM scratch\n');
    const { ctx } = fakeContext(freshState(), { root });
    const state = convergedState(ctx);
    state.releases['jenkins/jenkins'] = { ...state.releases['jenkins/jenkins'], values: { controller: { numExecutors: 2 } } };
    state.containers['kind-registry'] = { ...state.containers['kind-registry'], running: false };
    state.nodeFiles[`${platformFull.kind.node}:/etc/containerd/certs.d/docker.io/hosts.toml`] = 'old';
    state.imageLabels = { ...state.imageLabels, 'hello-app:v1': 'some-older-hash', 'hello-app:v2': 'some-older-hash' };
    ctx.machine = new FakeMachine(state);
    expect(todo(await plan(upSteps(), ctx))).toEqual(['registry', 'containerd', 'images', 'jenkins']);
  });
});

describe('npm run up -- --only and --dry-run', () => {
  it('--only keeps the components named (and the credentials), and rejects an unknown one', () => {
    expect(selectSteps(upSteps(), 'jenkins').map((s) => s.id)).toEqual(['credentials', 'jenkins-namespace', 'jenkins-secrets', 'lab-builder-rbac', 'agent-image', 'jenkins', 'jenkins-route', 'jenkins-token']);
    expect(() => selectSteps(upSteps(), 'jenkins,grafana')).toThrow('Unknown component: grafana');
  });

  it('--dry-run without Docker plans for an empty machine, runs nothing and exits 0', async () => {
    const r = await tsx('scripts/up.ts', ['--dry-run', '--only', 'cluster'], cleanEnv({ LAB_CREDENTIALS_FILE: creds.file() }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Docker is not reachable: planning for a machine with nothing of the platform on it.');
    expect(r.stdout).toContain('→ [cluster] kind cluster cicd-lab');
    expect(r.stdout).toContain('nothing was run');
    expect(() => statSync(creds.file())).toThrow();
  });

  it('refuses a context that is not the lab\'s before doing anything', async () => {
    const { main } = await import('../../../scripts/up.js');
    await expect(main(['--dry-run'], cleanEnv({ LAB_CONTEXT: 'gke_prod' }))).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('will not touch the context "gke_prod"') });
  });
});
