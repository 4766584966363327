/**
 * Readings of Kubernetes objects shared by the graders. Each follows a rule of
 * ARCHITECTURE.md#check-rules: a complete rollout has at least one replica, a workload's version is
 * its image's tag, status counts only when it has observed the current spec, percentages are
 * resolved as Kubernetes does.
 */
import type { KubeObject } from '../snapshot.js';
import { observedCurrent } from './observed.js';

export const desiredReplicas = (workload: KubeObject): number => workload.spec?.replicas ?? 1;

export interface RolloutReading {
  complete: boolean;
  /** e.g. "2/2 updated, 2/2 available, observed generation 3 of 3" */
  observed: string;
}

/**
 * A complete rollout (ARCHITECTURE.md#complete-rollout): observedGeneration >= generation,
 * updatedReplicas == availableReplicas == replicas, and replicas >= 1 — a workload scaled to 0 runs
 * nothing. `replicas` is read both as the desired count (spec) and as the count the controller runs
 * (status), so old Pods still terminating keep it incomplete, as `kubectl rollout status` does.
 */
export function readRollout(workload: KubeObject): RolloutReading {
  const want = desiredReplicas(workload);
  const s = workload.status ?? {};
  const generation = workload.metadata.generation ?? 0;
  const seen = Number(s.observedGeneration ?? 0);
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const running = s.replicas ?? 0;
  const complete = observedCurrent(workload) && want >= 1 && updated === want && available === want && running === want;
  const extra = running > want ? `, ${running - want} old still running` : '';
  const none = want < 1 ? ': scaled to 0, nothing runs' : '';
  return {
    complete,
    observed: `${updated}/${want} updated, ${available}/${want} available${extra}, observed generation ${seen} of ${generation}${none}`,
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

/** The hello-app container of a pod template: the first whose image is a hello-app image, else the first. */
export function appContainer(template: any, repository = 'hello-app'): any | undefined {
  const list: any[] = template?.spec?.containers ?? [];
  return list.find((c) => imageRepository(c.image) === repository) ?? list[0];
}

export interface VersionReading {
  /** The image's tag: the version (ARCHITECTURE.md#version). */
  version?: string;
  image?: string;
  /** Where the template was read from, when not from the object itself ("Deployment web"). */
  from?: string;
  /** An APP_VERSION env of the app container that disagrees with the tag (its value, or where it comes from). */
  conflict?: string;
}

/**
 * The version a pod template runs (ARCHITECTURE.md#version): its hello-app image's tag — the image
 * bakes it in as APP_VERSION. An APP_VERSION env on that container that says otherwise (or that
 * takes its value from elsewhere, so it cannot be shown to agree) is a conflict, never a way to
 * change the version: the app would answer the env's value while running the image's code.
 */
export function readTemplateVersion(template: any, from?: string): VersionReading {
  const c = appContainer(template);
  const version = imageTag(c?.image);
  const env = (c?.env ?? []).find((e: any) => e.name === 'APP_VERSION');
  let conflict: string | undefined;
  if (env) {
    if (typeof env.value === 'string') conflict = env.value === version ? undefined : `APP_VERSION=${env.value}`;
    else conflict = `APP_VERSION from ${Object.keys(env.valueFrom ?? {})[0] ?? 'elsewhere'}`;
  }
  return { version, image: c?.image, from, conflict };
}

/** A workload's version (Deployment, ReplicaSet, Job: the pod template of its spec). */
export const readVersion = (workload: KubeObject, from?: string): VersionReading => readTemplateVersion(podTemplate(workload), from);

/** A Pod's version, by the same rule. */
export const readPodVersion = (pod: KubeObject): VersionReading => readTemplateVersion({ spec: pod.spec });

/** The version, or undefined when there is none or APP_VERSION contradicts it. */
export const versionOf = (reading: VersionReading): string | undefined => (reading.conflict ? undefined : reading.version);

/** "version v1 (image …:v1)", "version v1 (image …:v1, from Deployment web)" */
export function describeVersion(reading: VersionReading): { ko: string; en: string } {
  const where = { ko: reading.from ? `, ${reading.from}에서` : '', en: reading.from ? `, from ${reading.from}` : '' };
  if (!reading.image) return { ko: `버전 없음 (컨테이너 없음${where.ko})`, en: `no version (no container${where.en})` };
  return { ko: `버전 ${reading.version} (이미지 ${reading.image}${where.ko})`, en: `version ${reading.version} (image ${reading.image}${where.en})` };
}

/** "image …:v1 (version v1) with APP_VERSION=v2: the image tag decides the version" */
export function describeConflict(reading: VersionReading): { ko: string; en: string } {
  return {
    ko: `이미지 ${reading.image}(버전 ${reading.version})에 ${reading.conflict}: 버전은 이미지 태그가 정함`,
    en: `image ${reading.image} (version ${reading.version}) with ${reading.conflict}: the image tag decides the version`,
  };
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
