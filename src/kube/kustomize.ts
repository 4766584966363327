/**
 * What kustomize's configMapGenerator leaves in a cluster: a ConfigMap named `<name>-<hash>`,
 * where the hash is computed from the ConfigMap's content (kubernetes-sigs/kustomize
 * api/hasher/hasher.go: sha256 of the JSON of {kind, name, data[, binaryData]} — the name reads
 * as "" there, since the lookup of "metadata/name" finds no such field — the first 10 hex digits,
 * with 0,1,3,a,e replaced by g,h,k,m,t). A kit test checks this against the real kustomize.
 */
import { createHash } from 'node:crypto';

/** Go's encoding/json: map keys sorted, and <, >, &, U+2028, U+2029 escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The suffix kustomize gives a generated ConfigMap with this content. */
export function configMapHash(data: Record<string, string> | undefined, binaryData?: Record<string, string>): string {
  const encoded: Record<string, unknown> = { kind: 'ConfigMap', name: '', data: data ?? '' };
  if (binaryData && typeof binaryData === 'object') encoded.binaryData = binaryData;
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

/** Is this ConfigMap `<base>-<hash of its content>`, as a configMapGenerator makes it? */
export function isGenerated(configMap: { metadata: { name: string }; data?: Record<string, string>; binaryData?: Record<string, string> }, base: string): boolean {
  const m = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-([a-z0-9]{10})$`).exec(configMap.metadata.name);
  return !!m && m[1] === configMapHash(configMap.data, configMap.binaryData);
}
