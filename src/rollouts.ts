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
 *
 * A Rollout's pod template may come from `spec.workloadRef` {apiVersion, kind, name} — a
 * Deployment, the documented way to migrate one — instead of `spec.template`: the controller
 * reads the template (and the selector, when the Rollout has none) from that workload and never
 * writes it back (v1.9 rollout/templateref.go Resolve; RolloutSpec.MarshalJSON leaves a resolved
 * template out), so the graders read it from there too (`rolloutTemplate`). Whether a status is
 * current, including the workload's generation, is src/kube/observed.ts's to say.
 */
import { L, type Localized } from './i18n.js';
import { readTemplateVersion, type VersionReading } from './kube/objects.js';
import type { KubeObject } from './snapshot.js';
import type { LabState } from './state.js';

export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** The pod template a Rollout runs, and where it comes from ("Deployment web" for a workloadRef). */
export function rolloutTemplate(state: LabState, ro: KubeObject): { template: any; from?: string; missing?: Localized } {
  const ref = ro.spec?.workloadRef;
  if (!ref) return { template: ro.spec?.template ?? {} };
  const from = `${ref.kind} ${ref.name}`;
  const workload = ref.kind === 'Deployment' ? state.get('Deployment', ro.metadata.namespace!, ref.name) : undefined;
  if (!workload) return { template: {}, from, missing: L(`workloadRef가 가리키는 ${from}이(가) 없음`, `no ${from}, which workloadRef names`) };
  return { template: workload.spec?.template ?? {}, from };
}

/** The version a Rollout's pod template runs (its own, or the referenced workload's). */
export function rolloutVersion(state: LabState, ro: KubeObject): VersionReading & { missing?: Localized } {
  const { template, from, missing } = rolloutTemplate(state, ro);
  return { ...readTemplateVersion(template, from), missing };
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

/**
 * Does a step change the canary's traffic weight? `setWeight` does; so does an `experiment` whose
 * templates take a weight (it routes a share to the experiment). Pauses, analysis, setHeaderRoute,
 * setMirrorRoute and setCanaryScale leave the weight as it is (argo-rollouts v1.9
 * pkg/apis/rollouts/v1alpha1/types.go CanaryStep).
 */
export const changesWeight = (step: any): boolean =>
  step?.setWeight !== undefined || (step?.experiment !== undefined && (step.experiment.templates ?? []).some((t: any) => t.weight !== undefined));

/**
 * The weight in effect at step `index`: the last weight-changing step before it, when that step is
 * a setWeight; undefined when none came before (or an experiment set it).
 */
export function weightAt(steps: any[], index: number): number | undefined {
  for (let i = Math.min(index, steps.length) - 1; i >= 0; i--) {
    if (!changesWeight(steps[i])) continue;
    return steps[i].setWeight !== undefined ? Number(steps[i].setWeight) : undefined;
  }
  return undefined;
}

/** "setWeight 20 → setHeaderRoute canary-header → pause" */
export function describeSteps(steps: any[]): string {
  const one = (st: any) =>
    st.setWeight !== undefined ? `setWeight ${st.setWeight}` : st.pause !== undefined ? `pause${st.pause?.duration !== undefined ? ` ${st.pause.duration}` : ''}` : st.setHeaderRoute ? `setHeaderRoute ${st.setHeaderRoute.name ?? ''}`.trim() : Object.keys(st)[0];
  return steps.map(one).join(' → ') || 'no steps';
}

/**
 * The indefinite pauses at which a canary rests at `weight` until a person promotes: steps that do
 * not change the weight may stand between the setWeight and the pause
 * (ARCHITECTURE.md#argo-rollouts).
 */
export function restingPauses(steps: any[], weight: number): number[] {
  return steps.flatMap((st, i) => (indefinitePause(st) && weightAt(steps, i) === weight ? [i] : []));
}

/**
 * Where a canary Rollout uses analysis: each `analysis` step and the background analysis
 * (`strategy.canary.analysis`), with the templates they name and the args they pass (argo-rollouts
 * pkg/apis/rollouts/v1alpha1/types.go RolloutAnalysis: templates[].templateName,
 * clusterScope, args[].value or valueFrom).
 */
export function analysisUses(ro: KubeObject): { where: string; templates: { name: string; clusterScope?: boolean }[]; args: { name: string; value?: string }[] }[] {
  const canary = ro.spec?.strategy?.canary ?? {};
  const use = (where: string, a: any) => ({
    where,
    templates: (a?.templates ?? []).map((t: any) => ({ name: t.templateName, clusterScope: t.clusterScope || undefined })),
    args: (a?.args ?? []).map((x: any) => ({ name: x.name, value: x.value })),
  });
  const steps: any[] = canary.steps ?? [];
  return [
    ...steps.flatMap((step, i) => (step?.analysis ? [use(`step ${i}`, step.analysis)] : [])),
    ...(canary.analysis?.templates?.length ? [use('background', canary.analysis)] : []),
  ];
}

/**
 * A template's metrics with `{{args.<name>}}` replaced: the template's own default values, then the
 * values the Rollout passes (utils/analysis/factory.go NewAnalysisRunFromTemplates, ResolveArgs). An
 * argument left without a value (or given by valueFrom, which the controller resolves from the
 * Pods) stays as written.
 */
export function resolvedMetrics(template: KubeObject, passed: { name: string; value?: string }[]): any[] {
  const values = new Map<string, string>();
  for (const a of template.spec?.args ?? []) if (a.value !== undefined) values.set(a.name, a.value);
  for (const a of passed) if (a.value !== undefined) values.set(a.name, a.value);
  return JSON.parse(
    JSON.stringify(template.spec?.metrics ?? []).replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (whole, name) => (values.has(name) ? JSON.stringify(values.get(name)).slice(1, -1) : whole)),
  );
}

/** An AnalysisRun's phase and, when it ended, why (its status.message), e.g. "Failed: Metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)". */
export function describeRun(run: KubeObject): string {
  const phase = run.status?.phase ?? 'Pending';
  return `${run.metadata.name} ${phase}${run.status?.message ? `: ${run.status.message}` : ''}`;
}

/** A run the controller canceled (spec.terminate: a promotion, an abort by a person): it ends Successful with "Run Terminated", which is no verdict. */
export const terminatedRun = (run: KubeObject) => Boolean(run.spec?.terminate) || run.status?.message === 'Run Terminated';
