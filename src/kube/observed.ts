/**
 * The one place graders ask whether status written by a controller can be trusted
 * (ARCHITECTURE.md#observed-status): it counts only when the controller has observed the current
 * spec. Each kind says so its own way:
 *
 * - Most controllers write `status.observedGeneration`, the `metadata.generation` they acted on
 *   (apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet). For these kinds a status without it
 *   has not been written for any spec yet.
 * - Argo Rollouts writes it as a string ("Clients should only rely on the value if
 *   status.observedGeneration equals metadata.generation", argo-rollouts v1.9
 *   pkg/apis/rollouts/v1alpha1/types.go RolloutStatus.Phase); a Rollout whose pod template comes
 *   from `spec.workloadRef` has also observed the referenced workload only when
 *   `status.workloadObservedGeneration` (a string) is that workload's generation
 *   (utils/rollout/rolloututil.go GetRolloutPhase: "waiting for rollout spec update to be observed
 *   for the reference workload").
 * - Argo CD's Application reports what it compared in `status.sync.comparedTo` (src/argocd.ts
 *   staleComparison).
 */
import { staleComparison } from '../argocd.js';
import { L, type Localized } from '../i18n.js';
import type { KubeObject } from '../snapshot.js';
import type { LabState } from '../state.js';

/** Kinds whose controller reports status.observedGeneration (see above). */
const REPORTS_OBSERVED_GENERATION = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Rollout']);

/**
 * Has the controller observed the object's current generation? Where status.observedGeneration is
 * reported it must be at least metadata.generation (kubectl rollout status and Argo Rollouts'
 * isGenerationObserved accept a greater one), compared as numbers.
 */
export function observedCurrent(object: KubeObject): boolean {
  const generation = object.metadata.generation;
  if (generation === undefined) return true; // nothing to compare with (the API server always sets it)
  const observed = object.status?.observedGeneration;
  if (observed === undefined || observed === null || observed === '') return !REPORTS_OBSERVED_GENERATION.has(object.kind);
  return Number(observed) >= Number(generation);
}

export type ObservedStatus = { current: true; status: any } | { current: false; status: any; stale: Localized };

const stale = (status: any, why: Localized): ObservedStatus => ({ current: false, status, stale: why });

/**
 * The object's status, and whether it was written for the current spec. `state` is needed for a
 * Rollout with workloadRef (the referenced workload's generation).
 */
export function observedStatus(state: LabState | undefined, object: KubeObject): ObservedStatus {
  const status = object.status ?? {};
  if (object.kind === 'Application') {
    const why = staleComparison(object);
    return why ? stale(status, why) : { current: true, status };
  }
  if (!observedCurrent(object)) {
    const seen = status.observedGeneration ?? 'none';
    const gen = object.metadata.generation;
    return stale(status, L(
      `컨트롤러가 아직 최신 spec을 보지 않았음(observedGeneration ${seen}, generation ${gen})`,
      `the controller has not observed the latest spec yet (observedGeneration ${seen}, generation ${gen})`,
    ));
  }
  const ref = object.kind === 'Rollout' ? object.spec?.workloadRef : undefined;
  if (ref) {
    if (!state) throw new Error('observedStatus needs the lab state to read the workload of a Rollout with workloadRef');
    const workload = ref.kind === 'Deployment' ? state.get('Deployment', object.metadata.namespace!, ref.name) : undefined;
    const seen = status.workloadObservedGeneration;
    const gen = workload?.metadata.generation;
    if (!workload || seen === undefined || seen === '' || (gen !== undefined && Number(seen) < Number(gen))) {
      return stale(status, L(
        `컨트롤러가 아직 ${ref.kind} ${ref.name}의 최신 spec을 보지 않았음(workloadObservedGeneration ${seen || 'none'}, generation ${gen ?? `없음: ${ref.kind} ${ref.name}이(가) 없음`})`,
        `the controller has not observed ${ref.kind} ${ref.name}'s latest spec yet (workloadObservedGeneration ${seen || 'none'}, generation ${gen ?? `none: no ${ref.kind} ${ref.name}`})`,
      ));
    }
  }
  return { current: true, status };
}
