/**
 * The Kubernetes kinds the graders read, with their REST paths. A static table instead of API
 * discovery keeps the collector at exactly one LIST per kind per namespace.
 * Core and apps kinds: https://kubernetes.io/docs/reference/kubernetes-api/ ;
 * HTTPRoute: Gateway API v1 (gateway.networking.k8s.io/v1);
 * Application, AppProject: Argo CD (argoproj.io/v1alpha1, argo-cd docs "Declarative Setup");
 * Rollout, AnalysisTemplate, AnalysisRun: Argo Rollouts (argoproj.io/v1alpha1, argo-rollouts docs
 * "Rollout Specification", "Analysis & Progressive Delivery").
 */
export interface Resource {
  kind: string;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

const table = [
  ['Namespace', 'v1', 'namespaces', false],
  ['Service', 'v1', 'services', true],
  ['Pod', 'v1', 'pods', true],
  ['ConfigMap', 'v1', 'configmaps', true],
  ['Secret', 'v1', 'secrets', true],
  ['Event', 'v1', 'events', true],
  ['Deployment', 'apps/v1', 'deployments', true],
  ['ReplicaSet', 'apps/v1', 'replicasets', true],
  ['Job', 'batch/v1', 'jobs', true],
  ['EndpointSlice', 'discovery.k8s.io/v1', 'endpointslices', true],
  ['Gateway', 'gateway.networking.k8s.io/v1', 'gateways', true],
  ['HTTPRoute', 'gateway.networking.k8s.io/v1', 'httproutes', true],
  ['Application', 'argoproj.io/v1alpha1', 'applications', true],
  ['AppProject', 'argoproj.io/v1alpha1', 'appprojects', true],
  ['Rollout', 'argoproj.io/v1alpha1', 'rollouts', true],
  ['AnalysisTemplate', 'argoproj.io/v1alpha1', 'analysistemplates', true],
  ['AnalysisRun', 'argoproj.io/v1alpha1', 'analysisruns', true],
] as const;

export type KindName = (typeof table)[number][0];

export const RESOURCES: Record<KindName, Resource> = Object.fromEntries(
  table.map(([kind, apiVersion, plural, namespaced]) => [kind, { kind, apiVersion, plural, namespaced }]),
) as Record<KindName, Resource>;

export function resource(kind: KindName): Resource {
  return RESOURCES[kind];
}

export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** `deployments.apps`, `services` — the name kubectl uses, for messages. */
export function resourceName(r: Resource): string {
  const group = groupOf(r.apiVersion);
  return group ? `${r.plural}.${group}` : r.plural;
}

/** The LIST path of a kind in a namespace (or cluster-wide for cluster-scoped kinds). */
export function listPath(r: Resource, namespace?: string): string {
  const base = r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`;
  return r.namespaced && namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
