/**
 * Outcomes about workloads that several graders share, each following a rule of
 * ARCHITECTURE.md#check-rules:
 *
 * - "runs X, complete rollout" (`runsVersion`, `runsTag`): the workload's version is its hello-app
 *   image's tag, an APP_VERSION env that disagrees is a failure of its own, and its rollout is
 *   complete — observed by the controller, every replica updated and available, and at least one
 *   replica (a workload scaled to 0 runs nothing);
 * - "has ≥ 1 available replica" (`availableReplicas`), read only from a status the controller
 *   wrote for the current spec (src/kube/observed.ts);
 * - the reading of a rolling update's strategy, with percentages resolved as Kubernetes does.
 *
 * These turn readings into outcomes (pass or fail, with the message and hint); the readings
 * themselves (version, rollout, replicas, containers) are src/kube/objects.ts. A workload these
 * outcomes are about is looked up with `state.must`: missing, it fails with the standard message.
 */
import { fail, pass, type Outcome } from '../checks.js';
import { L, type Localized } from '../i18n.js';
import type { KubeObject } from '../snapshot.js';
import type { LabState } from '../state.js';
import { appContainer, conditionLines, describeConflict, describeVersion, desiredReplicas, readRollout, readVersion, resolveIntOrPercent, type VersionReading } from './objects.js';
import { observedStatus } from './observed.js';

/** The image of a workload's hello-app container (the first whose image is a hello-app image, else the first). */
export const appImage = (workload: KubeObject): string | undefined => appContainer(workload.spec?.template)?.image;

/** The hint for an APP_VERSION that contradicts the image: what a version is, and where to change it. */
export const conflictHint = L(
  '버전은 이미지의 태그입니다. hello-app 이미지는 빌드할 때 그 태그를 APP_VERSION으로 구워 넣으므로, Pod 명세에 APP_VERSION을 따로 두면 실행되는 코드는 그대로인 채 응답만 다른 버전을 말합니다. APP_VERSION 설정을 지우고 원하는 버전의 이미지로 바꾸세요.',
  'A version is its image\'s tag: the hello-app image bakes that tag in as APP_VERSION, so an APP_VERSION in the Pod spec only makes the same code claim another version. Remove it and run the image of the version you want.',
);

/**
 * Does this version reading run `want`? Returns the failure (with the conflict's own message and
 * hint; `mismatchHint` for another version), or undefined when it does.
 */
export function versionFailure(reading: VersionReading, want: string, expected: Localized | string, observedMismatch?: Localized | string, mismatchHint?: Localized): Outcome | undefined {
  if (reading.conflict) return fail(expected, describeConflict(reading), { hint: conflictHint });
  if (reading.version !== want) return fail(expected, observedMismatch ?? describeVersion(reading), { hint: mismatchHint });
  return undefined;
}

/** The hint for a status the controller has not caught up with yet. */
export const staleHint = L(
  '컨트롤러가 바뀐 spec을 아직 반영하지 않았습니다. 잠시 기다렸다가 다시 채점하세요(LAB_WAIT로 기다릴 시간을 줄 수 있습니다).',
  'The controller has not caught up with the changed spec yet. Wait a moment and grade again (LAB_WAIT gives it time).',
);

/**
 * The rollout of a workload is complete (ARCHITECTURE.md#complete-rollout), or the failure that says
 * why not — with the hint for that reason.
 */
export function rolloutFailure(state: LabState, d: KubeObject, expected: Localized | string, prefix = ''): Outcome | undefined {
  const rollout = readRollout(d);
  if (rollout.complete) return undefined;
  const observed = observedStatus(state, d);
  const hint = !observed.current
    ? staleHint
    : desiredReplicas(d) < 1
      ? L('복제본이 0개인 워크로드는 아무것도 실행하지 않습니다. 복제본을 1개 이상 두세요.', 'A workload scaled to 0 runs nothing. Give it at least one replica.')
      : L('새 템플릿의 Pod가 모두 준비되지 않았습니다. 근거(조건과 이벤트)가 까닭을 말해 줍니다: 이미지, readinessProbe, 자원.', 'Not every Pod of the new template is ready. The evidence (conditions and events) says why: the image, the readinessProbe, resources.');
  return fail(expected, `${prefix}${rollout.observed}`, { hint, evidence: [...conditionLines(d), ...state.warnings(d.metadata.namespace!, d.kind, d.metadata.name)] });
}

/**
 * The Deployment runs `version` (its image's tag, with no APP_VERSION saying otherwise) and its
 * rollout is complete with at least one replica (ARCHITECTURE.md#runs-x).
 */
export function runsVersion(state: LabState, namespace: string, name: string, version: string): Outcome {
  const d = state.must('Deployment', namespace, name);
  const reading = readVersion(d);
  const wrong = versionFailure(reading, version, L(`버전 ${version}`, `version ${version}`));
  if (wrong) return wrong;
  const incomplete = rolloutFailure(state, d, L('롤아웃 완료: 복제본 1개 이상, 모두 새 템플릿으로 준비됨', 'a complete rollout: at least 1 replica, every replica updated and available'));
  return incomplete ?? pass(`${version}; ${readRollout(d).observed}`);
}

/**
 * Deployment `name` in `namespace` runs `tag` (its hello-app image's tag) and, unless told
 * otherwise, its rollout is complete: `runsVersion` in the words of the Jenkins labs.
 */
export function runsTag(state: LabState, namespace: string, name: string, tag: string, options: { complete?: boolean } = {}): Outcome {
  const d = state.must('Deployment', namespace, name);
  const expected = options.complete === false ? `${name}: tag ${tag}` : L(`${name}: 태그 ${tag}, 롤아웃 완료`, `${name}: tag ${tag}, rollout complete`);
  const reading = readVersion(d);
  const image = reading.image;
  const wrong = versionFailure(reading, tag, expected, L(`이미지 ${image ?? '(없음)'}`, `image ${image ?? '(none)'}`));
  if (wrong) return wrong;
  if (options.complete === false) return pass(`image ${image}`);
  const incomplete = rolloutFailure(state, d, expected, `image ${image}; `);
  return incomplete ?? pass(`image ${image}; ${readRollout(d).observed}`);
}

/**
 * A workload's available replicas from a status its controller wrote for the current spec: the
 * count, or the failure (stale status, or fewer than `min`).
 */
export function availableReplicas(state: LabState, d: KubeObject, expected: Localized | string, min = 1): { count: number; failure?: undefined } | { failure: Outcome; count?: undefined } {
  const name = d.metadata.name;
  const observed = observedStatus(state, d);
  if (!observed.current) return { failure: fail(expected, L(`${name}: ${observed.stale.ko}`, `${name}: ${observed.stale.en}`), { hint: staleHint, evidence: conditionLines(d) }) };
  const count = observed.status.availableReplicas ?? 0;
  if (count < min) {
    return { failure: fail(expected, `${name}: ${count} available of ${desiredReplicas(d)}`, { evidence: [...conditionLines(d), ...state.warnings(d.metadata.namespace!, d.kind, name)] }) };
  }
  return { count };
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
