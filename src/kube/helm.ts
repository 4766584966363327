/**
 * Helm release Secrets and Secret redaction.
 *
 * Helm's Secret storage driver (helm pkg/storage/driver/secrets.go and util.go, same layout in
 * Helm 3 and 4: Secret `sh.helm.release.v1.<name>.v<revision>`, type `helm.sh/release.v1`,
 * labels name/owner=helm/status/version) keeps the release as JSON, gzipped, base64-encoded,
 * in `data.release` — which the Kubernetes API base64-encodes once more. So the value read from
 * the API is base64(base64(gzip(json))).
 *
 * Secrets in a snapshot are redacted (ARCHITECTURE.md#contracts) except what a check needs: for a
 * Helm release, its name, namespace, version, status, chart metadata and supplied values
 * (`config`), re-encoded the same way so that a redacted Secret still decodes like a real one.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from '../snapshot.js';

export const HELM_RELEASE_TYPE = 'helm.sh/release.v1';
export const REDACTED_ANNOTATION = 'cicd-lab/redacted';

export interface HelmRelease {
  name: string;
  namespace?: string;
  version: number;
  info?: { status?: string; first_deployed?: string; last_deployed?: string; description?: string; [k: string]: unknown };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string; [k: string]: unknown }; [k: string]: unknown };
  /** The values supplied at install/upgrade time (--set, -f), not the chart's defaults. */
  config?: Record<string, unknown>;
  [k: string]: unknown;
}

export function decodeHelmRelease(secret: KubeObject): HelmRelease | undefined {
  const outer = secret.data?.release;
  if (typeof outer !== 'string' || outer === '') return undefined;
  let bytes = Buffer.from(Buffer.from(outer, 'base64').toString('utf8'), 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return JSON.parse(bytes.toString('utf8')) as HelmRelease;
}

export function encodeHelmRelease(release: HelmRelease): string {
  const helmValue = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return Buffer.from(helmValue).toString('base64');
}

/** Only what the graders read of a release. */
export function minimalRelease(release: HelmRelease): HelmRelease {
  const { name, namespace, version, info, chart, config } = release;
  return {
    name,
    namespace,
    version,
    info: info && { status: info.status, first_deployed: info.first_deployed, last_deployed: info.last_deployed, description: info.description },
    chart: chart && { metadata: chart.metadata },
    config: config ?? {},
  };
}

/** A copy of a Secret that holds no secret: values emptied, Helm releases reduced. */
export function redactSecret(secret: KubeObject): KubeObject {
  const copy: KubeObject = structuredClone(secret);
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  // kubectl apply keeps the whole manifest, data included, in this annotation.
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  annotations[REDACTED_ANNOTATION] = 'true';
  copy.metadata.annotations = annotations;
  delete copy.stringData;
  if (copy.type === HELM_RELEASE_TYPE) {
    let release: HelmRelease | undefined;
    try {
      release = decodeHelmRelease(secret);
    } catch {
      release = undefined;
    }
    copy.data = release ? { release: encodeHelmRelease(minimalRelease(release)) } : {};
    return copy;
  }
  copy.data = Object.fromEntries(Object.keys(copy.data ?? {}).map((k) => [k, '']));
  return copy;
}

/**
 * The stored revisions of a release, oldest first, from the Secrets of its namespace (those of
 * type helm.sh/release.v1 labelled owner=helm and name=<release>). Unreadable ones are skipped.
 */
export function releaseHistory(secrets: KubeObject[], name: string): HelmRelease[] {
  const out: HelmRelease[] = [];
  for (const s of secrets) {
    if (s.type !== HELM_RELEASE_TYPE || s.metadata.labels?.owner !== 'helm' || s.metadata.labels?.name !== name) continue;
    try {
      const release = decodeHelmRelease(s);
      if (release) out.push(release);
    } catch {
      // not a release we can read: as if absent
    }
  }
  return out.sort((a, b) => a.version - b.version);
}
