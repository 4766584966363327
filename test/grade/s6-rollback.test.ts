/**
 * Grader of s6-rollback: the failure drill of a rolling update. Deployment web is guarded
 * (maxUnavailable 0 resolved as Kubernetes resolves it, a readinessProbe, a progress deadline of at
 * most 120 s), the bad v3 was released (a ReplicaSet of web for it exists: the Deployment
 * controller keeps old ReplicaSets, scaled to 0, up to revisionHistoryLimit), and web was rolled
 * back: it runs v2 with a complete rollout, and its current ReplicaSet's revision is newer than
 * v3's. `kubectl rollout undo` copies an earlier revision's Pod template into the Deployment; the
 * controller then gives that template's ReplicaSet the next revision number and keeps its old
 * numbers in `deployment.kubernetes.io/revision-history` (kubernetes pkg/controller/deployment/
 * util/deployment_util.go SetNewReplicaSetAnnotations). Traffic through the gateway at
 * s6-rollback.localhost must be v2 only, with no failures.
 */
import { everyAnswerIs } from '../../src/check-builders.js';
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { appContainer, readVersion, versionOf } from '../../src/kube/objects.js';
import { readStrategy, runsVersion } from '../../src/kube/workload-checks.js';
import { labHost } from '../../src/platform.js';
import type { KubeObject } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 's6-rollback';
const TRAFFIC = 'traffic/s6-rollback';
/** The guard's deadline: a stuck rollout is called stuck within two minutes. */
const MAX_DEADLINE = 120;
/** The Deployment's default progressDeadlineSeconds (apps/v1 DeploymentSpec; the API server writes it into the spec). */
const DEFAULT_DEADLINE = 600;
const REVISION = 'deployment.kubernetes.io/revision';

const web = (s: LabState) => s.must('Deployment', NS, 'web');
const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;

/** Deployment web's ReplicaSets (by owner), oldest revision first. */
function replicaSets(s: LabState, d: KubeObject): KubeObject[] {
  return s
    .list('ReplicaSet', NS)
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.uid === d.metadata.uid || (r.kind === 'Deployment' && r.name === d.metadata.name)))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

const versionOfSet = (rs: KubeObject) => versionOf(readVersion(rs)) ?? '?';
/** "revisions: 1 v2, 3 v3, 4 v2 (was 2)" */
const describeRevisions = (sets: KubeObject[]) =>
  `revisions: ${sets.map((rs) => `${revisionOf(rs)} ${versionOfSet(rs)}${rs.metadata.annotations?.[`${REVISION}-history`] ? ` (was ${rs.metadata.annotations[`${REVISION}-history`]})` : ''}`).join(', ') || 'none'}`;

/** The guard as one reading: what each of its three parts is. */
function readGuard(d: KubeObject) {
  const strategy = readStrategy(d);
  const probe = appContainer(d.spec?.template)?.readinessProbe;
  const deadline: number = d.spec?.progressDeadlineSeconds ?? DEFAULT_DEADLINE;
  const ok = strategy.type === 'RollingUpdate' && strategy.maxUnavailable === 0 && Boolean(probe) && deadline <= MAX_DEADLINE;
  const how = probe?.httpGet ? `httpGet ${probe.httpGet.path ?? '/'}` : probe?.tcpSocket ? 'tcpSocket' : probe?.exec ? 'exec' : probe?.grpc ? 'grpc' : 'probe';
  const deadlineText = `progressDeadlineSeconds ${deadline}`;
  return { ok, observed: L(`${strategy.observed}; ${probe ? `readinessProbe ${how}` : 'readinessProbe 없음'}; ${deadlineText}`, `${strategy.observed}; ${probe ? `readinessProbe ${how}` : 'no readinessProbe'}; ${deadlineText}`) };
}

export default defineGrader({
  lab: 's6-rollback',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'ReplicaSet', 'Event'], namespaces: [NS] }],
    probes: { [TRAFFIC]: { type: 'traffic', host: labHost(NS), requests: 50 } },
  },
  checks: {
    guarded: (s) => {
      const guard = readGuard(web(s));
      const expected = L(
        `RollingUpdate, maxUnavailable 0, readinessProbe, progressDeadlineSeconds <= ${MAX_DEADLINE}`,
        `RollingUpdate, maxUnavailable 0, a readinessProbe, progressDeadlineSeconds <= ${MAX_DEADLINE}`,
      );
      return guard.ok ? pass(guard.observed) : fail(expected, guard.observed);
    },

    tried: (s) => {
      const sets = replicaSets(s, web(s));
      const v3 = sets.filter((rs) => versionOfSet(rs) === 'v3');
      return v3.length
        ? pass(`ReplicaSet ${v3.map((rs) => rs.metadata.name).join(', ')} (v3); ${describeRevisions(sets)}`)
        : fail(L('web의 ReplicaSet 중 v3를 실행하는 것', 'a ReplicaSet of web running v3'), describeRevisions(sets));
    },

    undone: (s) => {
      const d = web(s);
      return firstFailure(
        () => {
          const running = runsVersion(s, NS, 'web', 'v2');
          return running.status === 'pass' ? pass() : running;
        },
        () => {
          const sets = replicaSets(s, d);
          const v3 = sets.filter((rs) => versionOfSet(rs) === 'v3').map(revisionOf);
          // The Deployment controller gives the ReplicaSet of the current template the highest revision.
          const current = sets.at(-1);
          const expected = L('현재 ReplicaSet(v2)의 리비전이 v3의 것보다 새로움', "the current ReplicaSet (v2) at a revision newer than v3's");
          if (!v3.length) return fail(expected, L(`v3의 ReplicaSet이 없어 되돌린 것이 없음; ${describeRevisions(sets)}`, `no ReplicaSet of v3, so nothing was undone; ${describeRevisions(sets)}`));
          if (!current || versionOfSet(current) !== 'v2' || revisionOf(current) <= Math.max(...v3)) return fail(expected, describeRevisions(sets));
          return pass(`v2 at revision ${revisionOf(current)}, v3 at ${v3.join(', ')}; ${describeRevisions(sets)}`);
        },
      );
    },

    traffic: everyAnswerIs(TRAFFIC, 'v2'),
  },
});
