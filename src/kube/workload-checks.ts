/**
 * Outcomes about workloads that several graders share: "runs this version and its rollout is
 * complete", and the reading of a rolling update's strategy. Each follows a rule of DESIGN §4.
 */
import { fail, pass, type Outcome } from '../checks.js';
import { L } from '../i18n.js';
import type { KubeObject } from '../snapshot.js';
import type { LabState } from '../state.js';
import { conditionLines, containers, desiredReplicas, readRollout, resolveIntOrPercent, workloadVersion } from './objects.js';

const notFound = (what: string) => L(`${what} 없음`, `${what} not found`);

/** Where a workload's version comes from, for messages: "v1 (image kind-registry:5000/hello-app:v1)". */
export function describeVersion(workload: KubeObject): string {
  const list = containers(workload);
  const fromEnv = list.some((c) => (c.env ?? []).some((e: any) => e.name === 'APP_VERSION' && typeof e.value === 'string'));
  const version = workloadVersion(workload) ?? '?';
  return fromEnv ? `${version} (APP_VERSION)` : `${version} (image ${list[0]?.image ?? 'none'})`;
}

/**
 * The Deployment runs `version` (APP_VERSION, else the image tag) and its rollout is complete:
 * observedGeneration >= generation and updated == available == replicas (DESIGN §4).
 */
export function runsVersion(state: LabState, namespace: string, name: string, version: string): Outcome {
  const d = state.get('Deployment', namespace, name);
  if (!d) return fail(L(`Deployment ${name}이(가) ${version} 실행`, `Deployment ${name} running ${version}`), notFound(`Deployment ${name}`));
  const running = workloadVersion(d);
  if (running !== version) return fail(L(`버전 ${version}`, `version ${version}`), L(`버전 ${describeVersion(d)}`, `version ${describeVersion(d)}`));
  const rollout = readRollout(d);
  if (!rollout.complete) {
    return fail(L('롤아웃 완료: 모든 복제본이 새 템플릿으로 준비됨', 'a complete rollout: every replica updated and available'), rollout.observed, {
      evidence: [...conditionLines(d), ...state.warnings(namespace, 'Deployment', name)],
    });
  }
  return pass(`${version}; ${rollout.observed}`);
}

export interface RollingStrategy {
  type: string;
  /** Resolved against the replica count (maxUnavailable rounds down, maxSurge up), when RollingUpdate. */
  maxUnavailable?: number;
  maxSurge?: number;
  /** e.g. "RollingUpdate, maxUnavailable 25% → 1 of 4, maxSurge 1" */
  observed: string;
}

/** A Deployment's update strategy with its percentages resolved, as Kubernetes resolves them. */
export function readStrategy(d: KubeObject): RollingStrategy {
  const s = d.spec?.strategy ?? {};
  const type: string = s.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') return { type, observed: type };
  const replicas = desiredReplicas(d);
  const raw = { maxUnavailable: s.rollingUpdate?.maxUnavailable ?? '25%', maxSurge: s.rollingUpdate?.maxSurge ?? '25%' };
  const maxUnavailable = resolveIntOrPercent(raw.maxUnavailable, replicas, 'down', '25%');
  const maxSurge = resolveIntOrPercent(raw.maxSurge, replicas, 'up', '25%');
  const show = (v: number | string, n: number) => (typeof v === 'string' && v.endsWith('%') ? `${v} → ${n} of ${replicas}` : `${n}`);
  return { type, maxUnavailable, maxSurge, observed: `RollingUpdate, maxUnavailable ${show(raw.maxUnavailable, maxUnavailable)}, maxSurge ${show(raw.maxSurge, maxSurge)}` };
}
