/**
 * Readings of Kubernetes objects shared by the graders. Each follows a rule of DESIGN §4
 * ("complete rollout", "a workload's version", "status counts only when it has observed the
 * current spec", percentages resolved as Kubernetes does).
 */
import type { KubeObject } from '../snapshot.js';

export const desiredReplicas = (workload: KubeObject): number => workload.spec?.replicas ?? 1;

/**
 * Status written by a controller counts only when it has observed the current spec: where the
 * object reports status.observedGeneration it must equal metadata.generation (Argo Rollouts
 * writes it as a string, so compare numerically).
 */
export function observedCurrent(object: KubeObject): boolean {
  const observed = object.status?.observedGeneration;
  if (observed === undefined || observed === null) return true;
  const generation = object.metadata.generation;
  return generation === undefined || Number(observed) === Number(generation);
}

export interface RolloutReading {
  complete: boolean;
  /** e.g. "2/2 updated, 2/2 available, observed generation 3 of 3" */
  observed: string;
}

/**
 * A complete rollout (DESIGN §4): observedGeneration >= generation and updatedReplicas ==
 * availableReplicas == replicas. `replicas` is read both as the desired count (spec) and as
 * the count the controller runs (status), so old Pods still terminating keep it incomplete,
 * as `kubectl rollout status` does.
 */
export function readRollout(workload: KubeObject): RolloutReading {
  const want = desiredReplicas(workload);
  const s = workload.status ?? {};
  const generation = workload.metadata.generation ?? 0;
  const seen = Number(s.observedGeneration ?? 0);
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const running = s.replicas ?? 0;
  const complete = seen >= generation && updated === want && available === want && running === want;
  const extra = running > want ? `, ${running - want} old still running` : '';
  return {
    complete,
    observed: `${updated}/${want} updated, ${available}/${want} available${extra}, observed generation ${seen} of ${generation}`,
  };
}

export function podTemplate(workload: KubeObject): any {
  return workload.spec?.template ?? {};
}

export function containers(workload: KubeObject): any[] {
  return podTemplate(workload).spec?.containers ?? [];
}

/** The tag of an image reference: `kind-registry:5000/hello-app:v2@sha256:…` → `v2`; none → `latest`. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : 'latest';
}

/** `kind-registry:5000/hello-app:v2` → `hello-app` (the repository's last path part). */
export function imageRepository(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const name = colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
  return name.slice(lastSlash + 1);
}

/**
 * A workload's version (DESIGN §4): its container's APP_VERSION env if set, else its image tag.
 * The container is the first one that sets APP_VERSION, else the first container.
 */
export function workloadVersion(workload: KubeObject): string | undefined {
  const list = containers(workload);
  for (const c of list) {
    const env = (c.env ?? []).find((e: any) => e.name === 'APP_VERSION' && typeof e.value === 'string');
    if (env) return env.value;
  }
  return imageTag(list[0]?.image);
}

/** Resolve an int-or-percent against a replica count: maxSurge rounds up, maxUnavailable down. */
export function resolveIntOrPercent(value: number | string | undefined, replicas: number, round: 'up' | 'down', fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v.trim());
  if (!m) return Number(v);
  const exact = (Number(m[1]) * replicas) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/** "Available=False (MinimumReplicasUnavailable: …)" lines, for evidence. */
export function conditionLines(object: KubeObject): string[] {
  return (object.status?.conditions ?? [])
    .filter((c: any) => c.status !== 'True' || c.type === 'Progressing')
    .map((c: any) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`);
}

export const labelString = (labels: Record<string, string> | undefined) =>
  labels && Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : '(none)';
