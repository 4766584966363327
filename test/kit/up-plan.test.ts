import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { readCredentials } from '../../src/platform.js';
import { agentBuildArgs, agentImageTag, APP_VERSIONS, containerdHosts, IMAGE_SOURCE_LABEL, labBuilderPodTemplate, mirrorBind, saveMirrorBind, sourceHash, upSteps } from '../../scripts/lib/components.js';
import { writeCredentials } from '../../scripts/lib/credentials.js';
import { shellLine } from '../../scripts/lib/exec.js';
import { converge, describeAction, plan, renderPlan, type PlannedStep } from '../../scripts/lib/plan.js';
import { platformFull } from '../../scripts/lib/platform.js';
import { versions } from '../../scripts/lib/versions.js';
import { selectSteps } from '../../scripts/up.js';
import { cleanEnv, tsx } from '../lib/cli.js';
import { convergedState, fakeContext, freshState } from '../lib/fake-platform.js';

const todo = (planned: PlannedStep[]) => planned.filter((p) => !p.observation.done).map((p) => p.step.id);
const actionLines = (planned: PlannedStep[]) => planned.flatMap((p) => p.actions.map(describeAction));
const STEP_IDS = upSteps().map((s) => s.id);

let credsFile: string;
beforeEach(() => {
  credsFile = join(mkdtempSync(join(tmpdir(), 'cicd-lab-creds-')), 'credentials.json');
  process.env.LAB_CREDENTIALS_FILE = credsFile;
});
// Test files share their worker's process (isolate: false): leave the environment as found.
afterEach(() => void delete process.env.LAB_CREDENTIALS_FILE);

const installedCreds = () =>
  writeCredentials({ jenkins: { user: 'admin', password: 'j-pass', token: 'j-token' }, gitea: { user: 'lab-admin', password: 'g-pass' }, argocd: { user: 'admin', password: 'a-pass' } }, credsFile);

describe('the plan of npm run up on a fresh machine', () => {
  it('has every step to do except the image build when labs/app has no Dockerfile (and the Codespaces proxy outside a codespace), in component order', async () => {
    const { ctx } = fakeContext(freshState());
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(STEP_IDS.filter((id) => id !== 'images' && id !== 'codespaces-proxy'));
    expect(planned.find((p) => p.step.id === 'images')!.observation.reason).toContain('labs/app/Dockerfile does not exist yet');
    const order = [...new Set(planned.map((p) => p.step.component))];
    expect(order).toEqual(['registry', 'cluster', 'gateway', 'images', 'gitea', 'jenkins', 'argocd', 'rollouts']);
  });

  it('creates the cluster with the node image pinned in versions.json and the kind config of platform/', async () => {
    const { ctx } = fakeContext(freshState());
    const lines = actionLines(await plan(upSteps(), ctx)).join('\n');
    expect(lines).toContain(`kind create cluster --name cicd-lab --image ${versions.kind.nodeImage} --config platform/kind/cluster.yaml --wait 120s`);
    expect(lines).toContain(`-p 127.0.0.1:5001:5000`);
    expect(lines).toContain(versions.images.registry);
  });

  it('installs every chart at its pinned version into its namespace, with values written under .lab/', async () => {
    const { ctx } = fakeContext(freshState());
    const lines = actionLines(await plan(upSteps(), ctx));
    for (const [name, pin] of Object.entries(versions.charts)) {
      const helm = lines.find((l) => l.startsWith('$ helm') && l.includes(` ${pin.chart} `));
      expect(helm, name).toBeDefined();
      expect(helm).toContain(`--version ${pin.version}`);
      expect(helm).toContain('--kube-context kind-cicd-lab');
      expect(helm).toContain(`-f .lab/values/${name}.json`);
      if (pin.repo) expect(helm).toContain(`--repo ${pin.repo}`);
    }
    expect(lines.join('\n')).toContain(`gateway-api/releases/download/${versions.gatewayApi.version}/standard-install.yaml`);
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
    installedCreds();
    const { ctx } = fakeContext(freshState());
    const text = renderPlan(await plan(upSteps(), ctx), 'en');
    for (const secret of ['j-pass', 'g-pass', 'j-token', 'a-pass']) expect(text).not.toContain(secret);
    expect(text).toContain('apply Secret jenkins/jenkins-admin from .lab/credentials.json (values not shown)');
  });
});

describe('the plan of npm run up on a converged platform', () => {
  it('has nothing to do: every step says what it found, and only readiness checks remain', async () => {
    installedCreds();
    const { ctx } = fakeContext(freshState());
    ctx.probe = new (await import('../lib/fake-platform.js')).FakeProbe(convergedState(ctx));
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual([]);
    expect(actionLines(planned)).toEqual([]);
    expect(planned.find((p) => p.step.id === 'gitea-seed')!.observation.reason).toContain("not seeded again");
  });

  it('re-running converge runs only read-only readiness checks (kubectl wait / rollout status)', async () => {
    installedCreds();
    const { ctx, runner, lines } = fakeContext(freshState());
    ctx.probe = new (await import('../lib/fake-platform.js')).FakeProbe(convergedState(ctx));
    const runs = await converge(upSteps(), ctx);
    expect(runs.every((r) => !r.changed)).toBe(true);
    const verbs = runner.calls.map((c) => c.args.slice(2, 5).join(' '));
    for (const v of verbs) expect(v).toMatch(/^(wait |-n \S+ (rollout|wait))/);
    expect(lines.filter((l) => l.startsWith('✓')).length).toBe(STEP_IDS.length);
    expect(lines.join('\n')).toMatch(/✓ \[jenkins\] Jenkins \(JCasC, plugins, lab-builder pod template\) \(\d+\.\ds\) — already so/);
  });

  it('plans again for what drifted: other chart values, a stopped registry, a stale hosts.toml, a changed app', async () => {
    installedCreds();
    const root = mkdtempSync(join(tmpdir(), 'cicd-lab-root-'));
    mkdirSync(join(root, 'labs', 'app'), { recursive: true });
    writeFileSync(join(root, 'labs', 'app', 'Dockerfile'), 'FROM scratch\n');
    const { ctx } = fakeContext(freshState(), { root });
    const state = convergedState(ctx);
    state.releases['jenkins/jenkins'] = { ...state.releases['jenkins/jenkins'], values: { controller: { numExecutors: 2 } } };
    state.containers['kind-registry'] = { ...state.containers['kind-registry'], running: false };
    state.nodeFiles[`${platformFull.kind.node}:/etc/containerd/certs.d/docker.io/hosts.toml`] = 'old';
    const hash = sourceHash(join(root, 'labs', 'app'));
    state.imageLabels = { ...state.imageLabels, 'hello-app:v1': hash, 'hello-app:v2': 'some-older-hash' };
    const { FakeProbe } = await import('../lib/fake-platform.js');
    ctx.probe = new FakeProbe(state);
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(['registry', 'containerd', 'images', 'jenkins']);
    const images = planned.find((p) => p.step.id === 'images')!;
    expect(images.actions.map(describeAction)).toEqual(
      APP_VERSIONS.flatMap((v) => [
        `$ docker build --build-arg APP_VERSION=${v} --label ${IMAGE_SOURCE_LABEL}=${hash} -t localhost:5001/hello-app:${v} labs/app`,
        `$ docker push localhost:5001/hello-app:${v}`,
      ]),
    );
  });

  it('converging a fresh machine runs the actions of each step, then its readiness check', async () => {
    const { ctx, runner } = fakeContext(freshState());
    const steps = upSteps().filter((s) => ['credentials', 'containerd', 'gateway-api', 'gateway'].includes(s.id));
    await converge(steps, ctx);
    expect(statSync(credsFile).mode & 0o777).toBe(0o600);
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

describe('the mirrors converge on the address they should be published on, not on existing', () => {
  const mirror = platformFull.mirrors[0];

  it('prefetch --share re-creates the mirrors an earlier up published on 127.0.0.1, keeping their caches and network', async () => {
    installedCreds();
    const loopback = fakeContext(freshState());
    const state = convergedState(loopback.ctx);
    expect(state.containers[mirror.container].ports).toEqual([`127.0.0.1:${mirror.port}`]);
    const { FakeProbe } = await import('../lib/fake-platform.js');
    const { ctx, runner } = fakeContext(state, { env: { LAB_MIRROR_BIND: '0.0.0.0' } });
    ctx.probe = new FakeProbe(state);
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(['mirrors']);
    expect(planned.find((p) => p.step.id === 'mirrors')!.observation.reason).toContain(`${mirror.container} is published on 127.0.0.1:${mirror.port}, wanted 0.0.0.0:${mirror.port}`);
    await converge(upSteps().filter((s) => s.id === 'mirrors'), ctx);
    const lines = runner.calls.map(shellLine).filter((l) => l.includes(mirror.container));
    expect(lines).toEqual([
      `docker rm -f ${mirror.container}`,
      expect.stringMatching(new RegExp(`^docker run -d --restart=always --name ${mirror.container} -p 0\\.0\\.0\\.0:${mirror.port}:5000 -v cicd-lab-${mirror.container}:/var/lib/registry `)),
      `docker network connect kind ${mirror.container}`,
    ]);
  });

  it('a later up keeps what prefetch chose (.lab/mirrors.json), and puts a stopped mirror back with docker start', async () => {
    installedCreds();
    const { ctx, runner } = fakeContext(freshState());
    saveMirrorBind(ctx, '0.0.0.0');
    expect(mirrorBind(ctx)).toBe('0.0.0.0');
    expect(mirrorBind({ ...ctx, env: { LAB_MIRROR_BIND: '127.0.0.1' } })).toBe('127.0.0.1');
    const state = convergedState(ctx);
    const { FakeProbe } = await import('../lib/fake-platform.js');
    ctx.probe = new FakeProbe(state);
    expect(todo(await plan(upSteps(), ctx))).toEqual([]);
    state.containers[mirror.container] = { ...state.containers[mirror.container], running: false };
    await converge(upSteps().filter((s) => s.id === 'mirrors'), ctx);
    expect(runner.calls.map(shellLine).filter((l) => l.includes(mirror.container))).toEqual([`docker start ${mirror.container}`]);
  });
});

describe('the node\'s registry configuration', () => {
  it('makes kind-registry:5000 work for pulls over HTTP and localhost:5001 point at the same registry', () => {
    const hosts = Object.fromEntries(containerdHosts(platformFull, {}).map((h) => [h.name, h.toml]));
    expect(hosts['kind-registry:5000']).toContain('server = "http://kind-registry:5000"');
    expect(hosts['localhost:5001']).toContain('[host."http://kind-registry:5000"]');
    expect(hosts['docker.io']).toContain('[host."http://kind-mirror-docker-io:5000"]');
    expect(hosts['docker.io']).toContain('server = "https://registry-1.docker.io"');
  });

  it('points the mirrors at the room\'s shared machine with LAB_MIRROR_HOST, and drops them with LAB_MIRRORS=off', () => {
    const shared = Object.fromEntries(containerdHosts(platformFull, { LAB_MIRROR_HOST: '10.0.0.5' }).map((h) => [h.name, h.toml]));
    expect(shared['quay.io']).toContain('[host."http://10.0.0.5:5103"]');
    expect(containerdHosts(platformFull, { LAB_MIRRORS: 'off' }).map((h) => h.name)).toEqual(['localhost:5001', 'kind-registry:5000']);
  });
});

describe('npm run up -- --only and --dry-run', () => {
  it('--only keeps the components named (and the credentials), and rejects an unknown one', () => {
    expect(selectSteps(upSteps(), 'jenkins').map((s) => s.id)).toEqual(['credentials', 'jenkins-secrets', 'lab-builder-rbac', 'agent-image', 'jenkins', 'jenkins-token']);
    expect(() => selectSteps(upSteps(), 'jenkins,grafana')).toThrow('Unknown component: grafana');
  });

  it('builds the Jenkins agent image from platform/jenkins/agent with the pinned images, and the pod template runs it', async () => {
    const { ctx } = fakeContext(freshState());
    const step = (await plan(upSteps(), ctx)).find((p) => p.step.id === 'agent-image')!;
    const tag = agentImageTag(versions);
    expect(step.observation.done).toBe(false);
    expect(step.actions.map(describeAction)).toEqual([
      `$ docker build -f platform/jenkins/agent/Containerfile --build-arg AGENT_IMAGE=${versions.images['jenkins-agent']} --build-arg NODE_IMAGE=${versions.images['agent-node']} --build-arg TOOLS_IMAGE=${versions.images.tools} --label ${IMAGE_SOURCE_LABEL}=${tag} -t localhost:5001/lab-agent:${tag} platform/jenkins/agent`,
      `$ docker push localhost:5001/lab-agent:${tag}`,
    ]);
    expect(labBuilderPodTemplate(versions, platformFull)).toContain(`image: kind-registry:5000/lab-agent:${tag}`);
    // The Containerfile names no version: every image it is made of comes in as a build argument.
    const containerfile = readFileSync(join(ROOT, 'platform/jenkins/agent/Containerfile'), 'utf8');
    expect(containerfile.match(/^FROM .*/gm)).toEqual(['FROM ${NODE_IMAGE} AS node', 'FROM ${TOOLS_IMAGE} AS tools', 'FROM ${AGENT_IMAGE}']);
    expect(Object.keys(agentBuildArgs(versions)).every((arg) => containerfile.includes(`ARG ${arg}\n`))).toBe(true);
  });

  it('--dry-run without Docker plans for an empty machine, runs nothing and exits 0', async () => {
    const r = await tsx('scripts/up.ts', ['--dry-run', '--only', 'cluster'], cleanEnv({ LAB_CREDENTIALS_FILE: credsFile }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Docker is not reachable: planning for a machine with nothing of the platform on it.');
    expect(r.stdout).toContain('→ [cluster] kind cluster cicd-lab');
    expect(r.stdout).toContain('nothing was run');
    expect(() => statSync(credsFile)).toThrow();
  });

  it('refuses a context that is not the lab\'s before doing anything', async () => {
    const { main } = await import('../../scripts/up.js');
    await expect(main(['--dry-run'], cleanEnv({ LAB_CONTEXT: 'gke_prod' }))).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('will not touch the context "gke_prod"') });
  });
});
