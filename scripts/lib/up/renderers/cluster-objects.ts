/** Objects `up` applies to the cluster itself: the local-registry-hosting ConfigMap and the platform's namespaces. */
import type { PlatformFull } from '../../platform.js';

/** The ConfigMap of KEP-1755 that tells tools where the local registry is. */
export function registryHostingConfigMap(p: PlatformFull) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: { 'localRegistryHosting.v1': `host: "${p.registry.host}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n` },
  };
}

/** The namespaces of the platform's Helm releases. */
export const platformNamespaces = (p: PlatformFull) => [...new Set(Object.values(p.releases).map((r) => r.namespace))];

/** Those namespaces as a multi-document manifest, labelled as the kit's. */
export function namespacesManifest(p: PlatformFull): string {
  return platformNamespaces(p)
    .map((name) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'cicd-lab' } } }))
    .join('\n---\n');
}
