/**
 * A fake machine for the plan of `npm run up`: the answers `LiveMachine` would get from Docker, kind,
 * kubectl, helm and the services, as plain data. `freshState()` is a machine with nothing on it;
 * `convergedState(ctx)` is one where every step of the kit's plan already holds — built from the same
 * functions the steps compare against (chart values, hosts.toml, Secrets), so the test proves that a
 * converged platform plans no change.
 */
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { readCredentials } from '../../src/platform.js';
import { writeCredentials } from '../../scripts/lib/credentials.js';
import { recordingRunner, type Cmd, type CmdResult } from '../../scripts/lib/exec.js';
import { platformFull } from '../../scripts/lib/platform.js';
import type { ChartName } from '../../scripts/lib/charts.js';
import { agentImageTag } from '../../scripts/lib/up/agent-image.js';
import type { UpContext } from '../../scripts/lib/up/context.js';
import type { ContainerState, Machine, ReleaseState } from '../../scripts/lib/up/machine.js';
import { describeAction, type PlannedStep } from '../../scripts/lib/up/plan.js';
import { mirrorBind } from '../../scripts/lib/up/mirrors.js';
import { chartValues } from '../../scripts/lib/up/renderers/chart-values.js';
import { containerdHosts, hostsTomlPath } from '../../scripts/lib/up/renderers/containerd-hosts.js';
import { platformSecrets } from '../../scripts/lib/up/renderers/secrets.js';
import { pluginFileName, versions } from '../../scripts/lib/versions.js';
import { tempDir } from './temp.js';

export interface FakeState {
  docker: boolean;
  containers: Record<string, ContainerState>;
  clusters: string[];
  contexts: string[];
  /** `${node}:${path}` → content */
  nodeFiles: Record<string, string>;
  /** Manifests `kubectl diff` finds in sync: file paths, or 'text' for generated ones. */
  inSync: Set<string>;
  gatewayApi?: string;
  /** `${namespace}/${name}` */
  releases: Record<string, ReleaseState>;
  secrets: Record<string, Record<string, string>>;
  /** `${repo}:${tag}` → value of the source label */
  imageLabels: Record<string, string | null>;
  giteaRepos: string[];
  jenkinsTokens: string[];
}

export function freshState(): FakeState {
  return { docker: true, containers: {}, clusters: [], contexts: [], nodeFiles: {}, inSync: new Set(), releases: {}, secrets: {}, imageLabels: {}, giteaRepos: [], jenkinsTokens: [] };
}

export class FakeMachine implements Machine {
  readonly asked: string[] = [];
  constructor(public state: FakeState) {}
  private ask(q: string) {
    this.asked.push(q);
  }
  async dockerReachable() {
    this.ask('docker');
    return this.state.docker;
  }
  async container(name: string) {
    this.ask(`container ${name}`);
    return this.state.containers[name];
  }
  async clusterExists(c: string) {
    return this.state.clusters.includes(c);
  }
  async contextExists(c: string) {
    return this.state.contexts.includes(c);
  }
  async nodeFile(node: string, path: string) {
    return this.state.nodeFiles[`${node}:${path}`];
  }
  async inSync(m: { file?: string; text?: string }) {
    return this.state.inSync.has(m.file ?? 'text');
  }
  async gatewayApiVersion() {
    return this.state.gatewayApi;
  }
  async release(name: string, namespace: string) {
    return this.state.releases[`${namespace}/${name}`];
  }
  async secret(namespace: string, name: string) {
    return this.state.secrets[`${namespace}/${name}`];
  }
  async imageLabel(repo: string, tag: string) {
    return this.state.imageLabels[`${repo}:${tag}`];
  }
  async giteaRepoExists(repo: string) {
    return this.state.giteaRepos.includes(repo);
  }
  async jenkinsTokenWorks(_user: string, token: string) {
    return this.state.jenkinsTokens.includes(token);
  }
}

/** An UpContext over a fake machine. Without `root`, the checkout is an empty temporary folder of its own. */
export function fakeContext(state: FakeState, options: { root?: string; env?: NodeJS.ProcessEnv; answer?: (c: Cmd) => CmdResult | undefined } = {}) {
  const runner = recordingRunner(options.answer);
  const root = options.root ?? tempDir('root');
  const lines: string[] = [];
  let clock = 0;
  const ctx: UpContext = {
    versions,
    platform: platformFull,
    machine: new FakeMachine(state),
    runner,
    context: platformFull.context,
    arch: 'amd64',
    root,
    env: options.env ?? {},
    lang: 'en',
    log: (line) => lines.push(line),
    // A clock that moves 100 ms per look, so durations are printed and deterministic.
    now: () => (clock += 100),
  };
  return { ctx, runner, lines };
}

/**
 * Each test of the calling file gets a credentials file of its own (LAB_CREDENTIALS_FILE, not yet
 * written). `file()` is its path, `install()` writes the logins a converged platform has.
 */
export function testCredentials() {
  let dir = '';
  beforeEach(() => {
    dir = tempDir('creds');
    process.env.LAB_CREDENTIALS_FILE = join(dir, 'credentials.json');
  });
  // Test files share their worker's process (isolate: false): leave the environment as found.
  afterEach(() => void delete process.env.LAB_CREDENTIALS_FILE);
  const file = () => join(dir, 'credentials.json');
  return {
    file,
    install: () =>
      writeCredentials({ jenkins: { user: 'admin', password: 'j-pass', token: 'j-token' }, gitea: { user: 'lab-admin', password: 'g-pass' }, argocd: { user: 'admin', password: 'a-pass' } }, file()),
  };
}

const running = (networks: string[], ports: string[]): ContainerState => ({ running: true, networks, image: versions.images.registry, ports });

/** Every step of the kit's plan already holds (credentials must exist in LAB_CREDENTIALS_FILE). */
export function convergedState(ctx: UpContext, extra: Partial<FakeState> = {}): FakeState {
  const p = platformFull;
  const creds = readCredentials();
  const state = freshState();
  state.containers[p.registryContainer.name] = running(['bridge', 'kind'], [`127.0.0.1:${p.registry.host.split(':')[1]}`]);
  for (const m of p.mirrors) state.containers[m.container] = running(['bridge', 'kind'], [`${mirrorBind(ctx)}:${m.port}`]);
  state.clusters = [p.cluster];
  state.contexts = [p.context];
  for (const h of containerdHosts(p, ctx.env)) state.nodeFiles[`${p.kind.node}:${hostsTomlPath(h.name)}`] = h.toml;
  state.nodeFiles[`${p.kind.node}:/opt/cicd-lab/rollouts-plugins/${pluginFileName(versions)}.sha256`] = 'abc\n';
  state.inSync = new Set(['text', 'platform/manifests/gateway.yaml', 'platform/manifests/routes/gitea.yaml', 'platform/manifests/routes/jenkins.yaml', 'platform/manifests/routes/argocd.yaml', 'platform/manifests/lab-builder-rbac.yaml']);
  state.gatewayApi = versions.gatewayApi.version;
  const charts: [ChartName, keyof typeof p.releases][] = [
    ['nginx-gateway-fabric', 'gatewayController'],
    ['gitea', 'gitea'],
    ['jenkins', 'jenkins'],
    ['argo-cd', 'argocd'],
    ['argo-rollouts', 'rollouts'],
  ];
  for (const [chart, key] of charts) {
    const r = p.releases[key];
    const pin = versions.charts[chart];
    state.releases[`${r.namespace}/${r.name}`] = { chart: `${pin.chart.split('/').pop()}-${pin.version}`, status: 'deployed', values: chartValues(chart, versions, p, ctx.env) };
  }
  for (const { object } of platformSecrets(p, creds)) {
    const meta = object.metadata as { name: string; namespace: string };
    state.secrets[`${meta.namespace}/${meta.name}`] = object.stringData as Record<string, string>;
  }
  if (creds.argocd) state.secrets[`${p.releases.argocd.namespace}/argocd-initial-admin-secret`] = { password: creds.argocd.password };
  state.giteaRepos = [`${p.gitea.org}/${p.gitea.repo}`];
  state.imageLabels[`lab-agent:${agentImageTag(versions)}`] = agentImageTag(versions);
  if (creds.jenkins?.token) state.jenkinsTokens = [creds.jenkins.token];
  return { ...state, ...extra };
}

/** The ids of the planned steps that would act. */
export const todo = (planned: PlannedStep[]) => planned.filter((p) => !p.observation.done).map((p) => p.step.id);
/** Every action of a plan, as printed. */
export const actionLines = (planned: PlannedStep[]) => planned.flatMap((p) => p.actions.map(describeAction));
/** One step of a plan, by id. */
export const stepOf = (planned: PlannedStep[], id: string) => planned.find((p) => p.step.id === id)!;
