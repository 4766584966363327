/**
 * What a Service really sends traffic to: the Pods its EndpointSlices list as ready, and the
 * version each of them runs. EndpointSlice (discovery.k8s.io/v1): `endpoints[].conditions.ready`
 * ("a nil value should be interpreted as true") and `endpoints[].targetRef` naming the Pod;
 * slices belong to a Service by the label `kubernetes.io/service-name`
 * (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/).
 */
import type { KubeObject } from '../snapshot.js';
import type { LabState } from '../state.js';
import { readPodVersion, versionOf } from './objects.js';

/** The Pods behind a Service that its EndpointSlices list as ready. */
export function readyPodsOf(state: LabState, namespace: string, service: string): KubeObject[] {
  const slices = state.list('EndpointSlice', namespace, { 'kubernetes.io/service-name': service });
  const names = new Set(
    slices
      .flatMap((s) => s.endpoints ?? [])
      .filter((e: any) => e.conditions?.ready !== false && e.targetRef?.kind === 'Pod')
      .map((e: any) => e.targetRef.name as string),
  );
  return state.list('Pod', namespace).filter((p) => names.has(p.metadata.name));
}

/**
 * A Pod's version, by the same rule as a workload's (ARCHITECTURE.md#version, src/kube/objects.ts):
 * its image's tag, shown with the APP_VERSION that contradicts it when there is one ("v1 with
 * APP_VERSION=v2").
 */
export function podVersion(pod: KubeObject): string {
  const reading = readPodVersion(pod);
  return versionOf(reading) ?? (reading.conflict ? `${reading.version} with ${reading.conflict}` : (reading.version ?? '?'));
}
