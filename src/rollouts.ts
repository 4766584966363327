/**
 * Readings of Argo Rollouts objects (argoproj.io/v1alpha1 Rollout). Shapes from argo-rollouts
 * v1.9 pkg/apis/rollouts/v1alpha1/types.go: spec.strategy.{blueGreen,canary}, status.phase
 * ("Clients should only rely on the value if status.observedGeneration equals
 * metadata.generation" — and observedGeneration is a string), currentPodHash, stableRS,
 * currentStepIndex, pauseConditions[].reason (BlueGreenPause, CanaryPauseStep),
 * blueGreen.activeSelector, canary.weights. The Gateway API plugin's configuration lives under
 * spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"] with `httpRoute` (or a
 * list `httpRoutes[].name`) and `namespace` (rollouts-plugin-trafficrouter-gatewayapi
 * pkg/plugin/types.go, GatewayAPITrafficRouting).
 */
import { L, type Localized } from './i18n.js';
import { observedCurrent } from './kube/objects.js';
import type { KubeObject } from './snapshot.js';

export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** Null when the status can be trusted; else what to say (the controller has not caught up). */
export function staleStatus(ro: KubeObject): Localized | null {
  if (observedCurrent(ro)) return null;
  const seen = ro.status?.observedGeneration ?? 'none';
  const gen = ro.metadata.generation;
  return L(
    `컨트롤러가 아직 최신 spec을 보지 않았음(observedGeneration ${seen}, generation ${gen})`,
    `the controller has not observed the latest spec yet (observedGeneration ${seen}, generation ${gen})`,
  );
}

/** "Paused (CanaryPauseStep)", "Healthy", "Degraded: …" */
export function describePhase(ro: KubeObject): string {
  const s = ro.status ?? {};
  const reasons = (s.pauseConditions ?? []).map((p: any) => p.reason).join(', ');
  return `phase ${s.phase ?? 'none'}${reasons ? ` (${reasons})` : ''}${s.message && !reasons ? `: ${s.message}` : ''}`;
}

/** Conditions that are not True, as evidence for a failure. */
export function rolloutEvidence(ro: KubeObject): string[] {
  return (ro.status?.conditions ?? [])
    .filter((c: any) => c.status !== 'True' && c.type !== 'Paused')
    .map((c: any) => `${c.type}=${c.status} (${c.reason}${c.message ? `: ${c.message}` : ''})`);
}

/** The names of the HTTPRoutes the Gateway API plugin manages, with their namespace. */
export function pluginRoutes(ro: KubeObject): { names: string[]; namespace: string } | undefined {
  const config = ro.spec?.strategy?.canary?.trafficRouting?.plugins?.[GATEWAY_API_PLUGIN];
  if (!config) return undefined;
  const names: string[] = [...(config.httpRoute ? [config.httpRoute] : []), ...(config.httpRoutes ?? []).map((r: any) => r.name)];
  return { names, namespace: config.namespace ?? ro.metadata.namespace };
}

/** `pause: {}` (or `pause: {duration: 0}` never): a pause without a duration waits for a person. */
export const indefinitePause = (step: any) => step?.pause !== undefined && (step.pause === null || step.pause.duration === undefined);

/** The weight set by the last setWeight step before `index`. */
export function weightBefore(steps: any[], index: number): number | undefined {
  for (let i = Math.min(index, steps.length) - 1; i >= 0; i--) if (steps[i]?.setWeight !== undefined) return Number(steps[i].setWeight);
  return undefined;
}
