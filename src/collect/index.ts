/**
 * Collect what a set of graders needs from the live platform, as a snapshot
 * (ARCHITECTURE.md#grading): the graders then read the same shape whether it was just collected or
 * loaded from a file.
 */
import { resolveTarget, KubeClient, type KubeTarget } from '../kube/client.js';
import { listPath, resource } from '../kube/resources.js';
import { mergeNeeds, type Needs, type ProbeSpec } from '../needs.js';
import { gatewayUrl, platform, readCredentials } from '../platform.js';
import { SNAPSHOT_KIND, SNAPSHOT_VERSION, type Snapshot, type Unavailable } from '../snapshot.js';
import { collectGit } from './gitea.js';
import { collectJenkins } from './jenkins.js';
import { collectKubernetes } from './kubernetes.js';
import { collectRegistry } from './registry.js';
import { kubeExec, ProbeUnavailable, readColumns, type SqlDeps } from './sql.js';
import { GatewayUnreachable, sampleTraffic } from './traffic.js';

export interface CollectOptions {
  /** --context / LAB_CONTEXT; without it only the lab's context is used. */
  context?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Endpoints {
  jenkins: { url: string; auth?: { user: string; password: string } };
  registry: string;
  gitea: { url: string; auth?: { user: string; password: string } };
}

/** Where the platform's services answer from the host, and with which login. */
export function endpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const creds = readCredentials();
  const jenkinsLogin = creds.jenkins && { user: creds.jenkins.user, password: creds.jenkins.token ?? creds.jenkins.password };
  return {
    jenkins: { url: env.JENKINS_URL ?? gatewayUrl(platform.hosts.jenkins, env), auth: jenkinsLogin },
    registry: env.LAB_REGISTRY_URL ?? `http://${platform.registry.host}`,
    gitea: { url: env.GITEA_URL ?? gatewayUrl(platform.hosts.gitea, env), auth: creds.gitea },
  };
}

async function runProbe(name: string, spec: ProbeSpec, env: NodeJS.ProcessEnv, context?: string): Promise<{ value?: unknown; unavailable?: Unavailable }> {
  try {
    switch (spec.type) {
      case 'traffic':
        return { value: await sampleTraffic(spec, { baseUrl: gatewayUrl(spec.host, env) }) };
      case 'sql-columns':
        return { value: await readColumns(spec, liveSql(resolveTarget(context, env))) };
    }
  } catch (error) {
    if (error instanceof GatewayUnreachable || error instanceof ProbeUnavailable) return { unavailable: { source: 'probe', what: name, message: error.message } };
    throw error;
  }
}

/** Pods listed with a GET, psql run with the API's exec: what the sql-columns probe needs. */
function liveSql(target: KubeTarget): SqlDeps {
  const client = new KubeClient(target);
  return {
    async listPods(namespace, labelSelector) {
      const res = await client.get(listPath(resource('Pod'), namespace), { labelSelector });
      if (res.status !== 200) throw new ProbeUnavailable(`cannot list the Pods ${labelSelector} in ${namespace}: GET answered ${res.status}`);
      return (JSON.parse(res.body) as { items?: any[] }).items ?? [];
    },
    exec: kubeExec(target.config),
  };
}

export async function collect(needs: Needs[], options: CollectOptions = {}): Promise<Snapshot> {
  const env = options.env ?? process.env;
  const want = mergeNeeds(needs);
  const ep = endpoints(env);
  const snapshot: Snapshot = { kind: SNAPSHOT_KIND, version: SNAPSHOT_VERSION, capturedAt: new Date().toISOString() };
  const unavailable: Unavailable[] = [];

  if (want.kubernetes.length) {
    const target = resolveTarget(options.context, env);
    const client = new KubeClient(target);
    await client.preflight();
    snapshot.context = target.context;
    const kube = await collectKubernetes(client, want.kubernetes);
    snapshot.kubernetes = kube.objects;
    unavailable.push(...kube.unavailable);
  }
  const [jenkins, registry, git, probes] = await Promise.all([
    want.jenkins.length ? collectJenkins(want.jenkins, ep.jenkins) : undefined,
    want.registry.length ? collectRegistry(want.registry, ep.registry) : undefined,
    want.git.length ? collectGit(want.git, ep.gitea) : undefined,
    Promise.all(Object.entries(want.probes).map(async ([name, spec]) => [name, await runProbe(name, spec, env, options.context)] as const)),
  ]);
  if (jenkins) (snapshot.jenkins = { jobs: jenkins.jobs }), unavailable.push(...jenkins.unavailable);
  if (registry) (snapshot.registry = { repositories: registry.repositories }), unavailable.push(...registry.unavailable);
  if (git) (snapshot.git = { repositories: git.repositories }), unavailable.push(...git.unavailable);
  if (probes.length) {
    snapshot.probes = {};
    for (const [name, result] of probes) {
      if (result.value !== undefined) snapshot.probes[name] = result.value;
      if (result.unavailable) unavailable.push(result.unavailable);
    }
  }
  if (unavailable.length) snapshot.unavailable = unavailable;
  return snapshot;
}
