/**
 * The platform's Helm charts as `helm template` renders them with the kit's values, and every
 * container image they make the cluster pull: read by `npm run prefetch` (to fill the mirrors and say
 * which images go around them) and by the contract tier (`npm run test:contract`, test/contract/).
 *
 * Images are found in the rendered objects' structure, not by searching the text for `image:`:
 *   - the pod templates of workloads (containers and init containers), Helm hooks included (they run
 *     on install) but not Helm test hooks (`helm test` runs them; `up` does not);
 *   - NGINX Gateway Fabric's NginxProxy, which names the NGINX image NGF runs per Gateway
 *     (spec.kubernetes.deployment.container.image; nginx/nginx-gateway-fabric charts/…/templates/nginxproxy.yaml);
 *   - the Jenkins Kubernetes cloud's pod templates in the chart's JCasC ConfigMap (jenkins.clouds[]
 *     .kubernetes.templates[].containers[].image): the build pods the agents run in.
 */
import { parse, parseAllDocuments } from 'yaml';
import type { Cmd } from './exec.js';
import { parseImageRef } from './mirror.js';
import type { Mirror, PlatformFull } from './platform.js';
import { clusterKubernetesVersion, type Versions } from './versions.js';

export type ChartName = keyof Versions['charts'];

/** Which Helm release of platform.yaml installs each chart. */
export const CHART_RELEASES: Record<ChartName, keyof PlatformFull['releases']> = {
  'nginx-gateway-fabric': 'gatewayController',
  gitea: 'gitea',
  jenkins: 'jenkins',
  'argo-cd': 'argocd',
  'argo-rollouts': 'rollouts',
};

/** `helm template` of a chart (a folder or a packaged .tgz) as `up` installs it: its release, namespace, values and the cluster's Kubernetes version. */
export function helmTemplate(p: PlatformFull, v: Versions, chart: ChartName, chartPath: string, valuesFile: string): Cmd {
  const release = p.releases[CHART_RELEASES[chart]];
  return { cmd: 'helm', args: ['template', release.name, chartPath, '--namespace', release.namespace, '-f', valuesFile, '--kube-version', clusterKubernetesVersion(v)] };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: any;
}

export function renderedObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o): o is K8sObject => Boolean(o && typeof o === 'object' && o.kind));
}

export interface ImageUse {
  image: string;
  /** Where it is named, e.g. "Deployment argocd/argocd-redis", "JCasC pod template lab-builder". */
  from: string;
}

const isTestHook = (o: K8sObject) => /\btest(-success)?\b/.test(o.metadata.annotations?.['helm.sh/hook'] ?? '');

function podSpecOf(o: K8sObject): any {
  switch (o.kind) {
    case 'Pod':
      return o.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return o.spec?.template?.spec;
    case 'CronJob':
      return o.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

const containerImages = (spec: any): string[] => [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c: any) => c?.image).filter((i: unknown): i is string => typeof i === 'string' && i.length > 0);

/** The pod templates of a JCasC document's Kubernetes clouds: their containers' images and those of their raw pod YAML. */
function jcascImages(doc: any): { template: string; image: string }[] {
  const out: { template: string; image: string }[] = [];
  for (const cloud of doc?.jenkins?.clouds ?? []) {
    for (const t of cloud?.kubernetes?.templates ?? []) {
      const name = String(t?.name ?? t?.label ?? '?');
      for (const c of t?.containers ?? []) if (typeof c?.image === 'string') out.push({ template: name, image: c.image });
      if (typeof t?.yaml === 'string') for (const image of containerImages(parse(t.yaml)?.spec)) out.push({ template: name, image });
    }
  }
  return out;
}

export function imagesOfRendered(objects: K8sObject[]): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const o of objects) {
    const where = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    if (isTestHook(o)) continue;
    for (const image of containerImages(podSpecOf(o))) uses.push({ image, from: where });
    if (o.kind === 'NginxProxy') {
      for (const kind of ['deployment', 'daemonSet']) {
        const img = o.spec?.kubernetes?.[kind]?.container?.image;
        if (img?.repository) uses.push({ image: `${img.repository}:${img.tag ?? 'latest'}`, from: where });
      }
    }
    if (o.kind === 'ConfigMap') {
      for (const value of Object.values((o.data ?? {}) as Record<string, string>)) {
        if (!/\bclouds:/.test(value)) continue;
        let doc: unknown;
        try {
          doc = parse(value);
        } catch {
          continue;
        }
        for (const { template, image } of jcascImages(doc)) uses.push({ image, from: `${where}: JCasC pod template ${template}` });
      }
    }
  }
  return uses;
}

export type ImageRoute =
  | { via: 'mirror'; mirror: Mirror }
  | { via: 'local'; reason: string }
  | { via: 'direct'; reason: string };

/**
 * How the node gets an image: through the pull-through mirror of its registry, from the local
 * registry (images `up` builds), or directly from its registry — with the reason.
 */
export function imageRoute(image: string, p: PlatformFull, env: NodeJS.ProcessEnv = {}): ImageRoute {
  const { registry } = parseImageRef(image);
  if (registry === p.registry.inCluster || registry === p.registry.host) return { via: 'local', reason: 'built by up and kept in the local registry' };
  if (env.LAB_MIRRORS === 'off') return { via: 'direct', reason: 'mirrors are off (LAB_MIRRORS=off)' };
  const mirror = p.mirrors.find((m) => m.upstream === registry);
  if (mirror) return { via: 'mirror', mirror };
  return { via: 'direct', reason: `no mirror for ${registry} in platform/platform.yaml (mirrors): the node pulls it from ${registry} itself` };
}
