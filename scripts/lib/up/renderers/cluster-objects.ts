/** Objects `up` applies to the cluster itself: the local-registry-hosting ConfigMap and each component's namespaces. */
import type { Component, PlatformFull } from '../../platform.js';

/** The ConfigMap of KEP-1755 that tells tools where the local registry is. */
export function registryHostingConfigMap(p: PlatformFull) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: { 'localRegistryHosting.v1': `host: "${p.registry.host}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n` },
  };
}

/** Which component each Helm release of platform.yaml belongs to. */
const RELEASE_COMPONENT: Record<keyof PlatformFull['releases'], Component> = {
  gatewayController: 'gateway',
  gitea: 'gitea',
  jenkins: 'jenkins',
  argocd: 'argocd',
  rollouts: 'rollouts',
};

/**
 * The namespaces of a component's Helm releases: each component makes its own, so that a profile
 * without it (`up --profile strategies`) leaves no empty namespace behind.
 */
export const componentNamespaces = (p: PlatformFull, component: Component) => [
  ...new Set(
    Object.entries(p.releases)
      .filter(([key]) => RELEASE_COMPONENT[key as keyof PlatformFull['releases']] === component)
      .map(([, r]) => r.namespace),
  ),
];

/** Those namespaces as a multi-document manifest, labelled as the kit's. */
export function namespacesManifest(p: PlatformFull, component: Component): string {
  return componentNamespaces(p, component)
    .map((name) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'cicd-lab' } } }))
    .join('\n---\n');
}
