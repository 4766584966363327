/**
 * The steps of `npm run up`, in order, grouped by component (`--only <component>`):
 *
 *   registry  credentials · local registry container · pull-through mirrors
 *   cluster   kind cluster · registry on the kind network · containerd registry config on the node ·
 *             local-registry-hosting ConfigMap · platform namespaces
 *   gateway   Gateway API CRDs · NGINX Gateway Fabric · Gateway `lab` · platform HTTPRoutes
 *   images    hello-app:v1 and :v2 built from labs/app and pushed to the local registry
 *   gitea     admin Secret · Gitea · org `lab` and repo `hello-app` seeded from labs/app
 *   jenkins   Secrets · lab-builder RBAC · Jenkins (JCasC) · API token
 *   argocd    Argo CD · its generated admin password copied into the credentials file
 *   rollouts  Gateway API plugin binary on the node · Argo Rollouts
 *
 * Everything here is read by the kit tests with a fake state (test/kit/up-plan.test.ts). Running it
 * needs Docker, kind, kubectl, helm and the internet: none of that exists on the machine this was
 * written on, so the commands themselves were never executed here — the e2e workflow runs them.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { parse } from 'yaml';
import { LabError } from '../../src/errors.js';
import { L, type Lang } from '../../src/i18n.js';
import { DOWNLOAD_REDIRECTS, request } from '../../src/http.js';
import { ROOT } from '../../src/paths.js';
import { gatewayUrl, readCredentials } from '../../src/platform.js';
import { ensureCredentials, updateCredentials } from './credentials.js';
import { must, shellLine, type Cmd, type Runner } from './exec.js';
import { collectFiles, GiteaClient } from './gitea.js';
import { JenkinsClient } from './jenkins.js';
import type { ChartName } from './charts.js';
import { codespace, PROXY_LABEL, proxyHash, proxyRun, publicUrl } from './codespaces.js';
import { cmd, task, type Step } from './plan.js';
import { FIELD_MANAGERS, type Component, type Mirror, type PlatformFull } from './platform.js';
import type { ContainerState, Probe } from './probe.js';
import { chartArgs, gatewayApiInstallUrl, jenkinsPluginList, rolloutsPluginUrl, type ChartPin, type Versions } from './versions.js';
import { waitFor } from './wait.js';

export interface UpContext {
  versions: Versions;
  platform: PlatformFull;
  probe: Probe;
  runner: Runner;
  /** The kube context of the lab cluster (kind-cicd-lab). */
  context: string;
  /** The Docker engine's architecture, for the Rollouts plugin binary. */
  arch: 'amd64' | 'arm64';
  root: string;
  env: NodeJS.ProcessEnv;
  lang: Lang;
  log: (line: string) => void;
  now: () => number;
}

/** Where generated, git-ignored files go (.lab/: credentials, values, caches). */
export const labDir = (ctx: Pick<UpContext, 'root'>) => join(ctx.root, '.lab');
export const cacheDir = (ctx: Pick<UpContext, 'root'>) => join(labDir(ctx), 'cache');

// ── small builders ────────────────────────────────────────────────────────────────────────────────

const kubectl = (ctx: UpContext, ...args: string[]): Cmd => ({ cmd: 'kubectl', args: ['--context', ctx.context, ...args] });
const applyText = (ctx: UpContext, text: string, label: string): Cmd => ({
  ...kubectl(ctx, 'apply', '--server-side', '--force-conflicts', '--field-manager', FIELD_MANAGERS.platform, '-f', '-'),
  input: text,
  inputLabel: label,
});
const applyFile = (ctx: UpContext, file: string): Cmd => kubectl(ctx, 'apply', '--server-side', '--force-conflicts', '--field-manager', FIELD_MANAGERS.platform, '-f', file);
const rollout = (ctx: UpContext, namespace: string, workload: string, seconds: number): Cmd => kubectl(ctx, '-n', namespace, 'rollout', 'status', workload, `--timeout=${seconds}s`);

/** A mirror's address as the node's containerd reaches it: the shared room mirror, or the local container. */
export function mirrorEndpoint(m: Mirror, env: NodeJS.ProcessEnv): string {
  return env.LAB_MIRROR_HOST ? `http://${env.LAB_MIRROR_HOST}:${m.port}` : `http://${m.container}:5000`;
}

/** Local mirror containers are used unless a shared one is named (LAB_MIRROR_HOST) or they are off (LAB_MIRRORS=off). */
export const localMirrors = (env: NodeJS.ProcessEnv) => !env.LAB_MIRROR_HOST && env.LAB_MIRRORS !== 'off';
const mirrorsUsed = (env: NodeJS.ProcessEnv) => env.LAB_MIRRORS !== 'off';

/**
 * containerd's registry configuration on the node (hosts.toml, containerd's certs.d format; kind node
 * images from v0.27 read /etc/containerd/certs.d without a patch). One image reference,
 * kind-registry:5000/…, works for build-pod pushes (through the kind network's DNS) and kubelet pulls
 * (this file); localhost:5001/… works for pulls too, as in kind's local-registry guide.
 */
export function containerdHosts(p: PlatformFull, env: NodeJS.ProcessEnv): { name: string; toml: string }[] {
  const registry = `http://${p.registryContainer.name}:${p.registry.inCluster.split(':')[1]}`;
  const out = [
    { name: p.registry.host, toml: `# cicd-lab: the local registry (kind's local-registry pattern)\n[host."${registry}"]\n  capabilities = ["pull", "resolve", "push"]\n` },
    { name: p.registry.inCluster, toml: `# cicd-lab: the local registry under its in-cluster name, over plain HTTP\nserver = "${registry}"\n\n[host."${registry}"]\n  capabilities = ["pull", "resolve", "push"]\n` },
  ];
  if (mirrorsUsed(env)) {
    for (const m of p.mirrors) {
      out.push({
        name: m.upstream,
        toml: `# cicd-lab: pull through the mirror, fall back to ${m.upstream} itself\nserver = "${m.remote}"\n\n[host."${mirrorEndpoint(m, env)}"]\n  capabilities = ["pull", "resolve"]\n`,
      });
    }
  }
  return out;
}

export const hostsTomlPath = (name: string) => `/etc/containerd/certs.d/${name}/hosts.toml`;

/** The ConfigMap of KEP-1755 that tells tools where the local registry is. */
export function registryHostingConfigMap(p: PlatformFull) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: { 'localRegistryHosting.v1': `host: "${p.registry.host}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n` },
  };
}

export const platformNamespaces = (p: PlatformFull) => [...new Set(Object.values(p.releases).map((r) => r.namespace))];

function namespacesManifest(p: PlatformFull): string {
  return platformNamespaces(p)
    .map((name) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'cicd-lab' } } }))
    .join('\n---\n');
}

/** The Secrets the charts read their logins from (values never printed; applied from stdin). */
export function platformSecrets(p: PlatformFull, creds: ReturnType<typeof readCredentials>): { component: Component; object: Record<string, unknown> }[] {
  const secret = (namespace: string, name: string, stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'cicd-lab' } },
    stringData,
  });
  const jenkins = creds.jenkins ?? { user: p.logins.jenkins, password: '' };
  const gitea = creds.gitea ?? { user: p.logins.gitea, password: '' };
  return [
    { component: 'gitea', object: secret(p.releases.gitea.namespace, 'gitea-admin', { username: gitea.user, password: gitea.password }) },
    { component: 'jenkins', object: secret(p.releases.jenkins.namespace, 'jenkins-admin', { 'jenkins-admin-user': jenkins.user, 'jenkins-admin-password': jenkins.password }) },
    { component: 'jenkins', object: secret(p.releases.jenkins.namespace, 'lab-gitea', { username: gitea.user, password: gitea.password }) },
  ];
}

// ── Helm values: the file in platform/values/ plus what comes from versions.json and platform.yaml ──

export type { ChartName } from './charts.js';

const valuesFile = (chart: ChartName) => join(ROOT, 'platform', 'values', `${chart}.yaml`);

function deepMerge(base: any, extra: any): any {
  if (Array.isArray(base) || Array.isArray(extra) || typeof base !== 'object' || typeof extra !== 'object' || !base || !extra) return extra ?? base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out;
}

/** Where the Jenkins agent image is built from (platform/jenkins/agent/Containerfile). */
export const AGENT_DIR = 'platform/jenkins/agent';

/** The build arguments of the agent image: the images it is made of, from versions.json. */
export const agentBuildArgs = (v: Versions) => ({ AGENT_IMAGE: v.images['jenkins-agent'], NODE_IMAGE: v.images['agent-node'], TOOLS_IMAGE: v.images.tools });

/**
 * The agent image's tag: a hash of its Containerfile and the images it is made of, so that a change
 * to either makes a new image (and a new pod template), and an unchanged one is not rebuilt.
 */
export function agentImageTag(v: Versions, root = ROOT): string {
  const hash = createHash('sha256').update(readFileSync(join(root, AGENT_DIR, 'Containerfile'))).update(JSON.stringify(agentBuildArgs(v)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * How the containers that build images run: rootless Buildah (the user namespace it needs is made
 * by the unprivileged user through newuidmap/newgidmap, not granted as privileges). The RUN steps of
 * a Dockerfile run inside that user namespace, with chroot isolation.
 *
 *   runAsUser 1000, runAsNonRoot   the image's own user (jenkins in the agent, build in
 *                                  quay.io/buildah/stable), which has /etc/subuid and /etc/subgid ranges
 *   capabilities: drop ALL, add SETUID and SETGID
 *                                  only what newuidmap/newgidmap (file capabilities) need to write the
 *                                  new namespace's id maps; nothing else, no SYS_ADMIN
 *   allowPrivilegeEscalation true  those two programs gain their file capabilities on exec, which
 *                                  no_new_privs would forbid
 *   seccompProfile Unconfined, appArmorProfile Unconfined
 *                                  the container runtime's default profiles refuse unshare(CLONE_NEWUSER)
 *                                  and mount without CAP_SYS_ADMIN: what upstream documents for rootless
 *                                  builds in a pod (moby/buildkit docs/rootless.md and
 *                                  examples/kubernetes/*.rootless.yaml; the Buildah image's README runs
 *                                  it with seccomp=unconfined)
 *
 * Not privileged, no Docker socket, no host path. docs/reference/platform.md#image-builds says why
 * this and not BuildKit or Kubernetes user namespaces (hostUsers: false). Proved on the kit's
 * machine by test/kit/hello-app.test.ts (a rootless build of labs/app with exactly these
 * capabilities); in a kind node only by the e2e workflow.
 */
export const ROOTLESS_BUILD_SECURITY_CONTEXT = {
  runAsUser: 1000,
  runAsGroup: 1000,
  runAsNonRoot: true,
  allowPrivilegeEscalation: true,
  capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID'] },
  seccompProfile: { type: 'Unconfined' },
  appArmorProfile: { type: 'Unconfined' },
} as const;

/** The containers of the lab-builder pod that build images: the agent (freestyle jobs) and buildah (Pipelines). */
export const IMAGE_BUILDING_CONTAINERS = ['jnlp', 'buildah'] as const;

/** The lab-builder pod template (Kubernetes plugin JCasC syntax), images from versions.json. */
export function labBuilderPodTemplate(v: Versions, p: PlatformFull): string {
  const container = (name: string, image: string, extra: Record<string, unknown> = {}) => ({ name, image, command: 'cat', ttyEnabled: true, ...extra });
  const template = [
    {
      name: p.jenkins.agentLabel,
      label: p.jenkins.agentLabel,
      serviceAccount: p.labBuilder.serviceAccount,
      idleMinutes: 0,
      containers: [
        // The agent itself, built by `up` with the tools a freestyle job's shell steps need (see
        // platform/jenkins/agent/Containerfile); `^${…}` is JCasC's escape for a literal `${…}`.
        {
          name: 'jnlp',
          image: `${p.registry.inCluster}/lab-agent:${agentImageTag(v)}`,
          args: '^${computer.jnlpmac} ^${computer.name}',
          resourceRequestCpu: '100m',
          resourceRequestMemory: '256Mi',
          resourceLimitMemory: '2Gi',
        },
        container('node', v.images['app-base'], { resourceRequestCpu: '100m', resourceRequestMemory: '256Mi', resourceLimitMemory: '1Gi' }),
        // Daemonless image builds: no Docker socket, no privileged container (vfs storage, chroot isolation).
        container('buildah', v.images.buildah, {
          resourceRequestCpu: '100m',
          resourceRequestMemory: '256Mi',
          resourceLimitMemory: '2Gi',
          envVars: [{ envVar: { key: 'STORAGE_DRIVER', value: 'vfs' } }, { envVar: { key: 'BUILDAH_ISOLATION', value: 'chroot' } }],
        }),
        container('tools', v.images.tools, { resourceRequestCpu: '50m', resourceRequestMemory: '64Mi', resourceLimitMemory: '256Mi' }),
      ],
      // A container template's fields cannot say seccomp, AppArmor or capabilities: the plugin merges
      // this pod YAML with them, container by name, keeping its securityContext
      // (jenkinsci/kubernetes-plugin PodTemplateUtils.combine).
      yaml: stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        spec: { containers: IMAGE_BUILDING_CONTAINERS.map((name) => ({ name, securityContext: structuredClone(ROOTLESS_BUILD_SECURITY_CONTEXT) })) },
      }),
    },
  ];
  return stringify(template);
}

/** JCasC: the Gitea credential (from the Secret jenkins/lab-gitea) and a system message. */
export function jcascConfig(p: PlatformFull): string {
  return stringify({
    jenkins: { systemMessage: `cicd-lab: builds run in pods labelled ${p.jenkins.agentLabel} (containers ${p.jenkins.containers.join(', ')}).` },
    credentials: {
      system: {
        domainCredentials: [
          {
            credentials: [
              {
                usernamePassword: {
                  scope: 'GLOBAL',
                  id: p.jenkins.credentials.gitea,
                  description: 'Gitea login of the lab (generated by npm run up)',
                  username: '${lab-gitea-username}',
                  password: '${lab-gitea-password}',
                },
              },
            ],
          },
        ],
      },
    },
  });
}

export function chartValues(chart: ChartName, v: Versions, p: PlatformFull, env: NodeJS.ProcessEnv = {}): Record<string, unknown> {
  const base = parse(readFileSync(valuesFile(chart), 'utf8')) ?? {};
  // The address a browser uses: *.localhost:8080, or the forwarded port's URL in a GitHub Codespace.
  const url = (host: string) => publicUrl(host, p, env);
  const computed: Record<ChartName, Record<string, unknown>> = {
    'nginx-gateway-fabric': { nginx: { service: { nodePorts: [{ port: p.kind.gatewayNodePort, listenerPort: 80 }] } } },
    gitea: {
      gitea: {
        admin: { email: `${p.logins.gitea}@cicd-lab.localhost` },
        config: { server: { DOMAIN: new URL(url(p.hosts.gitea)).hostname, ROOT_URL: `${url(p.hosts.gitea)}/` } },
      },
    },
    jenkins: {
      controller: {
        installPlugins: jenkinsPluginList(v),
        jenkinsUrl: `${url(p.hosts.jenkins)}/`,
        JCasC: { configScripts: { 'cicd-lab': jcascConfig(p) } },
      },
      agent: { image: { repository: v.images['jenkins-agent'].split(':')[0], tag: v.images['jenkins-agent'].split(':')[1] }, podTemplates: { [p.jenkins.agentLabel]: labBuilderPodTemplate(v, p) } },
    },
    'argo-cd': { configs: { cm: { url: url(p.hosts.argocd) } } },
    'argo-rollouts': {
      controller: {
        trafficRouterPlugins: [{ name: v.rolloutsPlugin.name, location: `file:///lab-plugins/${pluginFileName(v)}` }],
        // A new plugin version changes this annotation, so the controller restarts and loads it.
        podAnnotations: { 'cicd-lab/gateway-api-plugin': v.rolloutsPlugin.version },
      },
    },
  };
  return deepMerge(base, computed[chart]);
}

/** The packaged chart `npm run prefetch` keeps in .lab/cache/charts, named as `helm pull` names it. */
export const cachedChartPath = (ctx: Pick<UpContext, 'root' | 'versions'>, chart: ChartName) => {
  const pin = ctx.versions.charts[chart];
  return join(cacheDir(ctx), 'charts', `${pin.chart.split('/').pop()}-${pin.version}.tgz`);
};

/** The chart to install: the prefetched package when there is one (offline workshops), else the pinned remote chart. */
export function chartSource(ctx: Pick<UpContext, 'root' | 'versions'>, chart: ChartName): string[] {
  const cached = cachedChartPath(ctx, chart);
  return existsSync(cached) ? [relative(ctx.root, cached)] : chartArgs(ctx.versions.charts[chart]);
}

export const pluginFileName = (v: Versions) => `gatewayapi-plugin-${v.rolloutsPlugin.version}`;
/** Where the Rollouts plugin binary lives on the kind node (platform/values/argo-rollouts.yaml mounts it into the controller). */
export const PLUGIN_DIR_ON_NODE = '/opt/cicd-lab/rollouts-plugins';

/** Plain JSON equality, key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  const norm = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(norm) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).sort(([k1], [k2]) => k1.localeCompare(k2)).map(([k, v]) => [k, norm(v)])) : x;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** A Helm release step: observe chart version, status and supplied values; act with upgrade --install. */
function helmStep(id: string, component: Component, title: ReturnType<typeof L>, chart: ChartName, key: keyof PlatformFull['releases'], ready: (ctx: UpContext) => Cmd[]): Step {
  const valuesPath = (ctx: UpContext) => join(labDir(ctx), 'values', `${chart}.json`);
  return {
    id,
    component,
    title,
    async observe(ctx) {
      const release = ctx.platform.releases[key];
      const pin: ChartPin = ctx.versions.charts[chart];
      const found = await ctx.probe.release(release.name, release.namespace);
      if (!found) return { done: false, reason: `no Helm release ${release.namespace}/${release.name}` };
      const wanted = `${pin.chart.split('/').pop()}-${pin.version}`;
      if (found.chart !== wanted) return { done: false, reason: `release ${release.name} runs ${found.chart}, pinned ${wanted}` };
      if (found.status !== 'deployed') return { done: false, reason: `release ${release.name} is ${found.status}` };
      if (!sameJson(found.values, chartValues(chart, ctx.versions, ctx.platform, ctx.env))) return { done: false, reason: `release ${release.name} has other values than platform/values/${chart}.yaml + versions.json` };
      return { done: true, reason: `${release.name} ${found.chart} deployed with the kit's values` };
    },
    actions(ctx) {
      const file = valuesPath(ctx);
      const release = ctx.platform.releases[key];
      return [
        task(`write ${relative(ctx.root, file)} (platform/values/${chart}.yaml + versions.json + platform.yaml)`, async () => {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, `${JSON.stringify(chartValues(chart, ctx.versions, ctx.platform, ctx.env), null, 2)}\n`);
        }),
        cmd({
          cmd: 'helm',
          args: ['--kube-context', ctx.context, 'upgrade', '--install', release.name, ...chartSource(ctx, chart), '--namespace', release.namespace, '--create-namespace', '-f', relative(ctx.root, file), '--timeout', '15m0s'],
        }),
      ];
    },
    ready: (ctx) => ready(ctx).map(cmd),
  };
}

/** A manifest step: in sync per `kubectl diff --server-side`, else server-side apply. */
function manifestStep(id: string, component: Component, title: ReturnType<typeof L>, file: string, ready?: (ctx: UpContext) => Cmd[]): Step {
  return {
    id,
    component,
    title,
    async observe(ctx) {
      return (await ctx.probe.inSync({ file })) ? { done: true, reason: `${file} is applied` } : { done: false, reason: `${file} differs from the cluster (or is not applied)` };
    },
    actions: (ctx) => [cmd(applyFile(ctx, file))],
    ready: ready ? (ctx) => ready(ctx).map(cmd) : undefined,
  };
}

/** The hash labs/app's image is labelled with, so a changed app is rebuilt and an unchanged one is not. */
export function sourceHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

export const IMAGE_SOURCE_LABEL = 'org.cicd-lab.source';
export const APP_VERSIONS = ['v1', 'v2'];
const appDir = (ctx: UpContext) => join(ctx.root, 'labs', 'app');

/** Download to a file, following redirects, streaming (the plugin is ~78 MB). */
export async function download(url: string, file: string, redirects = DOWNLOAD_REDIRECTS): Promise<void> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  await new Promise<void>((resolve, reject) => {
    get(url, (res: IncomingMessage) => {
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
        res.resume();
        download(new URL(res.headers.location, url).toString(), file, redirects - 1).then(resolve, reject);
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} → ${res.statusCode}`));
        return;
      }
      mkdirSync(dirname(file), { recursive: true });
      const out = createWriteStream(`${file}.part`);
      res.pipe(out);
      out.on('finish', () => {
        renameSync(`${file}.part`, file);
        resolve();
      });
      out.on('error', reject);
    }).on('error', reject);
  });
}

export const pluginCachePath = (ctx: Pick<UpContext, 'root' | 'versions' | 'arch'>) => join(cacheDir(ctx), 'rollouts', `${pluginFileName(ctx.versions)}-linux-${ctx.arch}`);
const fileSha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

// ── the steps ─────────────────────────────────────────────────────────────────────────────────────

export function upSteps(): Step[] {
  return [
    {
      id: 'credentials',
      component: 'registry',
      title: L('로그인 정보 만들기(.lab/credentials.json, 모드 0600)', 'Generate the logins (.lab/credentials.json, mode 0600)'),
      async observe() {
        const c = readCredentials();
        return c.jenkins?.password && c.gitea?.password ? { done: true, reason: 'logins already generated for this install' } : { done: false, reason: 'no credentials file yet' };
      },
      actions: () => [task('generate random passwords for Jenkins and Gitea into .lab/credentials.json (mode 0600)', async () => void ensureCredentials())],
    },
    {
      id: 'registry',
      component: 'registry',
      title: L('로컬 레지스트리 컨테이너', 'Local registry container'),
      async observe(ctx) {
        const c = await ctx.probe.container(ctx.platform.registryContainer.name);
        if (!c) return { done: false, reason: `no container ${ctx.platform.registryContainer.name}` };
        return c.running ? { done: true, reason: `${ctx.platform.registryContainer.name} is running` } : { done: false, reason: `${ctx.platform.registryContainer.name} exists but is stopped` };
      },
      actions(ctx) {
        const name = ctx.platform.registryContainer.name;
        return [
          task(`docker start ${name} if it exists, else: ${shellLine(registryRun(ctx))}`, async (c) => {
            const existing = await c.probe.container(name);
            if (existing) return void (await c.runner({ cmd: 'docker', args: ['start', name] }));
            const r = await c.runner(registryRun(c));
            if (r.code !== 0) throw new Error(`docker run ${name} failed: ${r.stderr}`);
          }),
        ];
      },
    },
    {
      id: 'mirrors',
      component: 'registry',
      title: L('풀스루 미러(도커 허브 등 이미지를 한 번만 받기)', 'Pull-through mirrors (pull each image once)'),
      async observe(ctx) {
        if (ctx.env.LAB_MIRRORS === 'off') return { done: true, reason: 'mirrors are off (LAB_MIRRORS=off)' };
        if (ctx.env.LAB_MIRROR_HOST) return { done: true, reason: `the room's shared mirror ${ctx.env.LAB_MIRROR_HOST} is used (LAB_MIRROR_HOST)` };
        const wrong: string[] = [];
        for (const m of ctx.platform.mirrors) {
          const why = mirrorDrift(ctx, m, await ctx.probe.container(m.container));
          if (why) wrong.push(`${m.container} ${why}`);
        }
        return wrong.length ? { done: false, reason: wrong.join('; ') } : { done: true, reason: `every mirror is running on ${mirrorBind(ctx)}` };
      },
      actions(ctx) {
        return ctx.platform.mirrors.map((m) =>
          task(`${m.container}: docker start it, or (missing, or published elsewhere than ${mirrorBind(ctx)}) docker rm -f and ${shellLine(mirrorRun(ctx, m))}; its cache volume stays`, async (c) => {
            const existing = await c.probe.container(m.container);
            const why = mirrorDrift(c, m, existing);
            if (!why) return;
            if (existing && why === 'is stopped') return void (await must(c.runner, { cmd: 'docker', args: ['start', m.container] }));
            // A container's published address is fixed when it is created: a new binding needs a new
            // container (the cache lives in the volume, so nothing is pulled again).
            if (existing) await must(c.runner, { cmd: 'docker', args: ['rm', '-f', m.container] });
            await must(c.runner, mirrorRun(c, m));
            // It was on the kind network (cluster step): the node's containerd reaches it there.
            if (existing?.networks.includes(c.platform.registryContainer.network)) await must(c.runner, { cmd: 'docker', args: ['network', 'connect', c.platform.registryContainer.network, m.container] });
          }),
        );
      },
    },
    {
      id: 'cluster',
      component: 'cluster',
      title: L('kind 클러스터 cicd-lab', 'kind cluster cicd-lab'),
      async observe(ctx) {
        if (!(await ctx.probe.clusterExists(ctx.platform.cluster))) return { done: false, reason: `no kind cluster ${ctx.platform.cluster}` };
        if (!(await ctx.probe.contextExists(ctx.context))) return { done: false, reason: `cluster exists but the kubeconfig has no context ${ctx.context}` };
        return { done: true, reason: `cluster ${ctx.platform.cluster} exists` };
      },
      actions(ctx) {
        return [
          task(`${shellLine(kindCreate(ctx))} (or, when the cluster exists, kind export kubeconfig --name ${ctx.platform.cluster})`, async (c) => {
            const exists = await c.probe.clusterExists(c.platform.cluster);
            const r = await c.runner(exists ? { cmd: 'kind', args: ['export', 'kubeconfig', '--name', c.platform.cluster] } : kindCreate(c));
            if (r.code !== 0) throw new Error(`kind failed: ${r.stderr}`);
          }),
        ];
      },
      ready: (ctx) => [cmd(kubectl(ctx, 'wait', '--for=condition=Ready', 'node', '--all', '--timeout=180s'))],
    },
    {
      id: 'network',
      component: 'cluster',
      title: L('레지스트리와 미러를 kind 네트워크에 연결', 'Registry and mirrors on the kind network'),
      async observe(ctx) {
        const missing: string[] = [];
        for (const name of networkedContainers(ctx)) {
          const c = await ctx.probe.container(name);
          if (!c?.networks.includes(ctx.platform.registryContainer.network)) missing.push(name);
        }
        return missing.length ? { done: false, reason: `not on network ${ctx.platform.registryContainer.network}: ${missing.join(', ')}` } : { done: true, reason: 'all connected' };
      },
      actions(ctx) {
        return [
          task(`docker network connect ${ctx.platform.registryContainer.network} <container> for ${networkedContainers(ctx).join(', ')} (those not connected yet)`, async (c) => {
            for (const name of networkedContainers(c)) {
              const state = await c.probe.container(name);
              if (state && !state.networks.includes(c.platform.registryContainer.network)) {
                const r = await c.runner({ cmd: 'docker', args: ['network', 'connect', c.platform.registryContainer.network, name] });
                if (r.code !== 0) throw new Error(`docker network connect failed: ${r.stderr}`);
              }
            }
          }),
        ];
      },
    },
    {
      id: 'containerd',
      component: 'cluster',
      title: L('노드의 containerd 레지스트리 설정(hosts.toml)', "The node's containerd registry config (hosts.toml)"),
      async observe(ctx) {
        const stale: string[] = [];
        for (const h of containerdHosts(ctx.platform, ctx.env)) if ((await ctx.probe.nodeFile(ctx.platform.kind.node, hostsTomlPath(h.name))) !== h.toml) stale.push(h.name);
        return stale.length ? { done: false, reason: `missing or different: ${stale.join(', ')}` } : { done: true, reason: 'every registry name is configured' };
      },
      actions(ctx) {
        return containerdHosts(ctx.platform, ctx.env).map((h) =>
          cmd({ cmd: 'docker', args: ['exec', '-i', ctx.platform.kind.node, 'sh', '-c', `mkdir -p /etc/containerd/certs.d/${h.name} && cat > ${hostsTomlPath(h.name)}`], input: h.toml, inputLabel: `hosts.toml for ${h.name}` }),
        );
      },
    },
    {
      id: 'registry-hosting',
      component: 'cluster',
      title: L('local-registry-hosting ConfigMap', 'The local-registry-hosting ConfigMap'),
      async observe(ctx) {
        return (await ctx.probe.inSync({ text: JSON.stringify(registryHostingConfigMap(ctx.platform)) })) ? { done: true, reason: 'applied' } : { done: false, reason: 'not applied or different' };
      },
      actions: (ctx) => [cmd(applyText(ctx, JSON.stringify(registryHostingConfigMap(ctx.platform)), 'ConfigMap kube-public/local-registry-hosting'))],
    },
    {
      id: 'namespaces',
      component: 'cluster',
      title: L('플랫폼 네임스페이스', 'Platform namespaces'),
      async observe(ctx) {
        return (await ctx.probe.inSync({ text: namespacesManifest(ctx.platform) })) ? { done: true, reason: platformNamespaces(ctx.platform).join(', ') } : { done: false, reason: 'some are missing' };
      },
      actions: (ctx) => [cmd(applyText(ctx, namespacesManifest(ctx.platform), `Namespaces ${platformNamespaces(ctx.platform).join(', ')}`))],
    },
    {
      id: 'gateway-api',
      component: 'gateway',
      title: L('Gateway API CRD', 'Gateway API CRDs'),
      async observe(ctx) {
        const found = await ctx.probe.gatewayApiVersion();
        return found === ctx.versions.gatewayApi.version ? { done: true, reason: `Gateway API ${found} installed` } : { done: false, reason: found ? `Gateway API ${found} installed, pinned ${ctx.versions.gatewayApi.version}` : 'no Gateway API CRDs' };
      },
      actions(ctx) {
        const cached = join(cacheDir(ctx), `gateway-api-${ctx.versions.gatewayApi.version}-standard-install.yaml`);
        return [cmd(applyFile(ctx, existsSync(cached) ? relative(ctx.root, cached) : gatewayApiInstallUrl(ctx.versions)))];
      },
      ready: (ctx) => [cmd(kubectl(ctx, 'wait', '--for=condition=Established', 'crd/httproutes.gateway.networking.k8s.io', 'crd/gateways.gateway.networking.k8s.io', '--timeout=60s'))],
    },
    helmStep('gateway-controller', 'gateway', L('NGINX Gateway Fabric', 'NGINX Gateway Fabric'), 'nginx-gateway-fabric', 'gatewayController', (ctx) => [
      rollout(ctx, ctx.platform.releases.gatewayController.namespace, `deployment/${ctx.platform.releases.gatewayController.name}-nginx-gateway-fabric`, 300),
    ]),
    manifestStep('gateway', 'gateway', L('Gateway lab(*.localhost, 127.0.0.1:8080)', 'Gateway lab (*.localhost on 127.0.0.1:8080)'), 'platform/manifests/gateway.yaml', (ctx) => [
      kubectl(ctx, '-n', ctx.platform.gateway.namespace, 'wait', '--for=condition=Programmed', `gateway/${ctx.platform.gateway.name}`, '--timeout=300s'),
    ]),
    manifestStep('routes', 'gateway', L('플랫폼 호스트의 HTTPRoute(jenkins, argocd, git)', 'HTTPRoutes of the platform hosts (jenkins, argocd, git)'), 'platform/manifests/routes.yaml'),
    {
      id: 'codespaces-proxy',
      component: 'gateway',
      title: L('Codespaces: 호스트마다 포트 하나(프록시)', 'Codespaces: one port per host (proxy)'),
      async observe(ctx) {
        if (!codespace(ctx.env)) return { done: true, reason: 'not in a GitHub Codespace: browsers use *.localhost' };
        const name = ctx.platform.codespaces.proxy;
        const c = await ctx.probe.container(name);
        if (!c) return { done: false, reason: `no container ${name}` };
        if (c.labels?.[PROXY_LABEL] !== proxyHash(ctx.platform, ctx.env, ctx.versions.images['app-base'], ctx.root)) return { done: false, reason: `${name} was made for other routes or another proxy` };
        return c.running ? { done: true, reason: `${name} is running` } : { done: false, reason: `${name} is stopped` };
      },
      actions(ctx) {
        const run = proxyRun(ctx.platform, ctx.env, ctx.versions.images['app-base'], ctx.root);
        return [
          task(`docker rm -f ${ctx.platform.codespaces.proxy} (if there), then ${shellLine({ ...run, args: run.args.map((a) => (a.startsWith('PROXY_ROUTES=') ? 'PROXY_ROUTES=<the hosts and their ports>' : a)) })}`, async (c) => {
            if (await c.probe.container(c.platform.codespaces.proxy)) await must(c.runner, { cmd: 'docker', args: ['rm', '-f', c.platform.codespaces.proxy] });
            await must(c.runner, proxyRun(c.platform, c.env, c.versions.images['app-base'], c.root));
          }),
        ];
      },
    },
    {
      id: 'images',
      component: 'images',
      title: L('hello-app:v1, v2 빌드와 푸시', 'Build and push hello-app:v1 and :v2'),
      async observe(ctx) {
        if (!existsSync(join(appDir(ctx), 'Dockerfile'))) return { done: true, reason: 'labs/app/Dockerfile does not exist yet: nothing to build' };
        const hash = sourceHash(appDir(ctx));
        const stale: string[] = [];
        for (const v of APP_VERSIONS) if ((await ctx.probe.imageLabel('hello-app', v, IMAGE_SOURCE_LABEL)) !== hash) stale.push(v);
        return stale.length ? { done: false, reason: `hello-app ${stale.join(', ')} missing or built from other sources than labs/app now` } : { done: true, reason: `hello-app v1, v2 built from labs/app as it is (${hash})` };
      },
      actions(ctx) {
        const hash = existsSync(appDir(ctx)) ? sourceHash(appDir(ctx)) : 'unknown';
        return APP_VERSIONS.flatMap((v) => {
          const ref = `${ctx.platform.registry.host}/hello-app:${v}`;
          return [
            cmd({ cmd: 'docker', args: ['build', '--build-arg', `APP_VERSION=${v}`, '--label', `${IMAGE_SOURCE_LABEL}=${hash}`, '-t', ref, 'labs/app'] }),
            cmd({ cmd: 'docker', args: ['push', ref] }),
          ];
        });
      },
    },
    {
      id: 'gitea-secret',
      component: 'gitea',
      title: L('Gitea 관리자 Secret', 'Gitea admin Secret'),
      observe: (ctx) => secretsObserve(ctx, 'gitea'),
      actions: (ctx) => secretsActions(ctx, 'gitea'),
    },
    helmStep('gitea', 'gitea', L('Gitea', 'Gitea'), 'gitea', 'gitea', (ctx) => [rollout(ctx, ctx.platform.releases.gitea.namespace, `deployment/${ctx.platform.releases.gitea.name}`, 600)]),
    {
      id: 'gitea-seed',
      component: 'gitea',
      title: L('Gitea 저장소 lab/hello-app(labs/app에서 시작)', 'Gitea repository lab/hello-app (seeded from labs/app)'),
      async observe(ctx) {
        const repo = `${ctx.platform.gitea.org}/${ctx.platform.gitea.repo}`;
        return (await ctx.probe.giteaRepoExists(repo)) ? { done: true, reason: `${repo} exists (it may hold the learner's work: not seeded again)` } : { done: false, reason: `no repository ${repo}` };
      },
      actions: (ctx) => [
        task(`wait for ${gatewayUrl(ctx.platform.hosts.gitea, ctx.env)}, create org ${ctx.platform.gitea.org} and repo ${ctx.platform.gitea.repo}, commit labs/app to main (Gitea API)`, seedGitea),
      ],
    },
    {
      id: 'jenkins-secrets',
      component: 'jenkins',
      title: L('Jenkins 관리자와 Gitea 자격 증명 Secret', 'Jenkins admin and Gitea credential Secrets'),
      observe: (ctx) => secretsObserve(ctx, 'jenkins'),
      actions: (ctx) => secretsActions(ctx, 'jenkins'),
    },
    manifestStep('lab-builder-rbac', 'jenkins', L('빌드 파드의 권한(lab-builder RBAC)', 'What build pods may do (lab-builder RBAC)'), 'platform/manifests/lab-builder-rbac.yaml'),
    {
      id: 'agent-image',
      component: 'jenkins',
      title: L('Jenkins 에이전트 이미지(npm, buildah, kubectl, helm 포함)', 'Jenkins agent image (with npm, buildah, kubectl, helm)'),
      async observe(ctx) {
        const tag = agentImageTag(ctx.versions);
        return (await ctx.probe.imageLabel('lab-agent', tag, IMAGE_SOURCE_LABEL)) === tag
          ? { done: true, reason: `lab-agent:${tag} is in the registry` }
          : { done: false, reason: `lab-agent:${tag} is not in the registry` };
      },
      actions(ctx) {
        const tag = agentImageTag(ctx.versions);
        const ref = `${ctx.platform.registry.host}/lab-agent:${tag}`;
        const args = Object.entries(agentBuildArgs(ctx.versions)).flatMap(([k, value]) => ['--build-arg', `${k}=${value}`]);
        return [
          cmd({ cmd: 'docker', args: ['build', '-f', `${AGENT_DIR}/Containerfile`, ...args, '--label', `${IMAGE_SOURCE_LABEL}=${tag}`, '-t', ref, AGENT_DIR] }),
          cmd({ cmd: 'docker', args: ['push', ref] }),
        ];
      },
    },
    helmStep('jenkins', 'jenkins', L('Jenkins(JCasC, 플러그인, lab-builder 파드 템플릿)', 'Jenkins (JCasC, plugins, lab-builder pod template)'), 'jenkins', 'jenkins', (ctx) => [
      rollout(ctx, ctx.platform.releases.jenkins.namespace, `statefulset/${ctx.platform.releases.jenkins.name}`, 900),
    ]),
    {
      id: 'jenkins-token',
      component: 'jenkins',
      title: L('Jenkins API 토큰', 'Jenkins API token'),
      async observe(ctx) {
        const j = readCredentials().jenkins;
        if (!j?.token) return { done: false, reason: 'no API token in the credentials file' };
        return (await ctx.probe.jenkinsTokenWorks(j.user, j.token)) ? { done: true, reason: 'the saved API token works' } : { done: false, reason: 'Jenkins refuses the saved API token' };
      },
      actions: (ctx) => [task(`wait for ${gatewayUrl(ctx.platform.hosts.jenkins, ctx.env)}/login, generate an API token (crumb + session), save it`, jenkinsToken)],
    },
    helmStep('argocd', 'argocd', L('Argo CD(작은 구성)', 'Argo CD (reduced footprint)'), 'argo-cd', 'argocd', (ctx) => [
      rollout(ctx, ctx.platform.releases.argocd.namespace, 'deployment/argocd-server', 600),
      rollout(ctx, ctx.platform.releases.argocd.namespace, 'deployment/argocd-repo-server', 600),
      rollout(ctx, ctx.platform.releases.argocd.namespace, 'statefulset/argocd-application-controller', 600),
    ]),
    {
      id: 'argocd-login',
      component: 'argocd',
      title: L('Argo CD 관리자 비밀번호를 credentials 파일에', "Argo CD's admin password into the credentials file"),
      async observe(ctx) {
        const saved = readCredentials().argocd?.password;
        const secret = await ctx.probe.secret(ctx.platform.releases.argocd.namespace, 'argocd-initial-admin-secret');
        if (saved && (!secret || secret.password === saved)) return { done: true, reason: 'saved' };
        return { done: false, reason: secret ? 'not saved yet' : 'the initial admin Secret does not exist yet' };
      },
      actions: (ctx) => [
        task(`read Secret ${ctx.platform.releases.argocd.namespace}/argocd-initial-admin-secret into .lab/credentials.json`, async (c) => {
          const secret = await waitFor(async () => {
            const s = await c.probe.secret(c.platform.releases.argocd.namespace, 'argocd-initial-admin-secret');
            return s?.password ? { done: true, value: s } : { done: false, seen: 'no Secret yet' };
          }, { what: 'Argo CD initial admin Secret', timeoutMs: 120_000 });
          updateCredentials((cr) => void (cr.argocd = { user: c.platform.logins.argocd, password: secret.password }));
        }),
      ],
    },
    {
      id: 'rollouts-plugin',
      component: 'rollouts',
      title: L('Rollouts Gateway API 플러그인 바이너리(노드에)', 'Rollouts Gateway API plugin binary (on the node)'),
      async observe(ctx) {
        const cached = pluginCachePath(ctx);
        const onNode = await ctx.probe.nodeFile(ctx.platform.kind.node, `${PLUGIN_DIR_ON_NODE}/${pluginFileName(ctx.versions)}.sha256`);
        if (!onNode) return { done: false, reason: `${pluginFileName(ctx.versions)} is not on the node` };
        if (existsSync(cached) && onNode.trim() !== fileSha256(cached)) return { done: false, reason: 'the node has another build of the plugin' };
        return { done: true, reason: `${pluginFileName(ctx.versions)} (linux/${ctx.arch}) on the node` };
      },
      actions: (ctx) => [task(`download ${rolloutsPluginUrl(ctx.arch, ctx.versions)} into .lab/cache (unless there), copy it into ${ctx.platform.kind.node}:${PLUGIN_DIR_ON_NODE}`, installPlugin)],
    },
    helmStep('rollouts', 'rollouts', L('Argo Rollouts + Gateway API 플러그인', 'Argo Rollouts + Gateway API plugin'), 'argo-rollouts', 'rollouts', (ctx) => [
      rollout(ctx, ctx.platform.releases.rollouts.namespace, `deployment/${ctx.platform.releases.rollouts.name}`, 300),
    ]),
  ];
}

function networkedContainers(ctx: UpContext): string[] {
  return [ctx.platform.registryContainer.name, ...(localMirrors(ctx.env) ? ctx.platform.mirrors.map((m) => m.container) : [])];
}

export function registryRun(ctx: UpContext): Cmd {
  const p = ctx.platform;
  return {
    cmd: 'docker',
    args: ['run', '-d', '--restart=always', '--name', p.registryContainer.name, '-p', `127.0.0.1:${p.registry.host.split(':')[1]}:${p.registry.inCluster.split(':')[1]}`, '-v', 'cicd-lab-registry:/var/lib/registry', ctx.versions.images.registry],
  };
}

/**
 * The address the mirrors are published on: LAB_MIRROR_BIND, else what the last `npm run prefetch`
 * chose (`--share`: 0.0.0.0, so a room can use this machine's cache; without it: 127.0.0.1), kept in
 * .lab/mirrors.json so that a later `up` converges on it instead of taking the room's mirrors away.
 */
export function mirrorBind(ctx: Pick<UpContext, 'root' | 'env'>): string {
  if (ctx.env.LAB_MIRROR_BIND) return ctx.env.LAB_MIRROR_BIND;
  const file = join(labDir(ctx), 'mirrors.json');
  return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { bind?: string }).bind ?? '127.0.0.1') : '127.0.0.1';
}

export function saveMirrorBind(ctx: Pick<UpContext, 'root'>, bind: string): void {
  mkdirSync(labDir(ctx), { recursive: true });
  writeFileSync(join(labDir(ctx), 'mirrors.json'), `${JSON.stringify({ bind }, null, 2)}\n`);
}

/** Why a mirror container is not as wanted (missing, stopped, published elsewhere), or undefined. */
export function mirrorDrift(ctx: UpContext, m: Mirror, c: ContainerState | undefined): string | undefined {
  if (!c) return 'is missing';
  const want = `${mirrorBind(ctx)}:${m.port}`;
  if (c.ports && !(c.ports.length === 1 && c.ports[0] === want)) return `is published on ${c.ports.join(', ') || 'no address'}, wanted ${want}`;
  return c.running ? undefined : 'is stopped';
}

export function mirrorRun(ctx: UpContext, m: Mirror): Cmd {
  const bind = mirrorBind(ctx);
  const auth = m.upstream === 'docker.io' && ctx.env.LAB_DOCKERHUB_USER && ctx.env.LAB_DOCKERHUB_TOKEN ? ['-e', `REGISTRY_PROXY_USERNAME=${ctx.env.LAB_DOCKERHUB_USER}`, '-e', 'REGISTRY_PROXY_PASSWORD'] : [];
  return {
    cmd: 'docker',
    args: ['run', '-d', '--restart=always', '--name', m.container, '-p', `${bind}:${m.port}:5000`, '-v', `cicd-lab-${m.container}:/var/lib/registry`, '-e', `REGISTRY_PROXY_REMOTEURL=${m.remote}`, ...auth, ctx.versions.images.registry],
    // The token is passed through the environment, never on the command line.
    env: auth.length ? { REGISTRY_PROXY_PASSWORD: ctx.env.LAB_DOCKERHUB_TOKEN! } : undefined,
  };
}

export function kindCreate(ctx: UpContext): Cmd {
  return { cmd: 'kind', args: ['create', 'cluster', '--name', ctx.platform.cluster, '--image', ctx.versions.kind.nodeImage, '--config', ctx.platform.kind.config, '--wait', '120s'] };
}

async function secretsObserve(ctx: UpContext, component: Component) {
  const objects = platformSecrets(ctx.platform, readCredentials()).filter((s) => s.component === component);
  for (const { object } of objects) {
    const meta = object.metadata as { name: string; namespace: string };
    const found = await ctx.probe.secret(meta.namespace, meta.name);
    if (!found || !sameJson(found, object.stringData)) return { done: false, reason: `Secret ${meta.namespace}/${meta.name} missing or not matching .lab/credentials.json` };
  }
  return { done: true, reason: 'match .lab/credentials.json' };
}

function secretsActions(ctx: UpContext, component: Component) {
  return platformSecrets(ctx.platform, readCredentials())
    .filter((s) => s.component === component)
    .map(({ object }) => {
      const meta = object.metadata as { name: string; namespace: string };
      // Built when run, from the file as it is then (the credentials step may just have written it).
      return task(`apply Secret ${meta.namespace}/${meta.name} from .lab/credentials.json (values not shown)`, async (c) => {
        const fresh = platformSecrets(c.platform, readCredentials()).find((s) => (s.object.metadata as { name: string }).name === meta.name)!;
        const r = await c.runner(applyText(c, JSON.stringify(fresh.object), `Secret ${meta.namespace}/${meta.name}`));
        if (r.code !== 0) throw new Error(`kubectl apply Secret ${meta.name} failed: ${r.stderr}`);
      });
    });
}

async function seedGitea(ctx: UpContext): Promise<void> {
  const login = readCredentials().gitea;
  if (!login) throw new LabError(L('Gitea 로그인이 없습니다.', 'There is no Gitea login.'));
  const url = gatewayUrl(ctx.platform.hosts.gitea, ctx.env);
  await waitFor(
    async () => {
      try {
        const r = await request(`${url}/api/v1/version`, { timeoutMs: 5000 });
        return { done: r.status === 200, seen: `GET /api/v1/version → ${r.status}` };
      } catch (error) {
        return { done: false, seen: (error as Error).message };
      }
    },
    { what: `Gitea at ${url}`, timeoutMs: 300_000 },
  );
  const gitea = new GiteaClient(url, login);
  const repo = `${ctx.platform.gitea.org}/${ctx.platform.gitea.repo}`;
  await gitea.ensureOrg(ctx.platform.gitea.org);
  const created = await gitea.ensureRepo(repo);
  if (created === 'created' && existsSync(appDir(ctx))) {
    const { files, folders } = collectFiles(ctx.root, { '.': 'labs/app' });
    const changes = await gitea.commitFiles(repo, 'main', files, folders, 'hello-app from cicd-lab labs/app');
    ctx.log(`    ${repo}: ${changes.length} files committed to main`);
  }
}

async function jenkinsToken(ctx: UpContext): Promise<void> {
  const login = readCredentials().jenkins;
  if (!login) throw new LabError(L('Jenkins 로그인이 없습니다.', 'There is no Jenkins login.'));
  const url = gatewayUrl(ctx.platform.hosts.jenkins, ctx.env);
  await waitFor(
    async () => {
      try {
        const r = await request(`${url}/login`, { timeoutMs: 5000 });
        return { done: r.status === 200, seen: `GET /login → ${r.status}` };
      } catch (error) {
        return { done: false, seen: (error as Error).message };
      }
    },
    { what: `Jenkins at ${url}`, timeoutMs: 600_000, intervalMs: 5000 },
  );
  const token = await new JenkinsClient(url, { user: login.user, password: login.password }).generateToken('cicd-lab');
  updateCredentials((c) => void (c.jenkins = { ...c.jenkins!, token }));
}

async function installPlugin(ctx: UpContext): Promise<void> {
  const cached = pluginCachePath(ctx);
  if (!existsSync(cached)) await download(rolloutsPluginUrl(ctx.arch, ctx.versions), cached);
  const node = ctx.platform.kind.node;
  const target = `${PLUGIN_DIR_ON_NODE}/${pluginFileName(ctx.versions)}`;
  const steps: Cmd[] = [
    { cmd: 'docker', args: ['exec', node, 'mkdir', '-p', PLUGIN_DIR_ON_NODE] },
    { cmd: 'docker', args: ['cp', cached, `${node}:${target}`] },
    { cmd: 'docker', args: ['exec', node, 'chmod', '0755', target] },
    { cmd: 'docker', args: ['exec', '-i', node, 'sh', '-c', `cat > ${target}.sha256`], input: `${fileSha256(cached)}\n` },
  ];
  for (const c of steps) {
    const r = await ctx.runner(c);
    if (r.code !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} failed: ${r.stderr}`);
  }
}
