/**
 * Grader of s5-db-migration: the schema-change drill the course teaches — 1. announce the outage,
 * 2. scale shop to 0, 3. run the migration Job, 4. ship v2 with 2 replicas.
 *
 * What decides each check: the Job succeeded; the v2 ReplicaSet was created after the
 * Job completed; shop runs v2 with 2 available replicas; the table has the column. Steps 1 and 2
 * leave traces the grader reports but does not judge (the announcement ConfigMap shop-notice, and
 * whether a shop Pod from before the migration still runs): the `ordered` message tells the drill
 * as four sentences, one per step, so a learner sees which step the cluster shows and which not.
 *
 * Job status (batch/v1): `status.conditions[]` Complete/Failed, `status.completionTime`,
 * `status.startTime` (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/).
 */
import { fail, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L, type Localized } from '../../src/i18n.js';
import { readVersion, versionOf } from '../../src/kube/objects.js';
import { podVersion } from '../../src/kube/endpoints.js';
import { availableReplicas, runsVersion } from '../../src/kube/workload-checks.js';
import type { KubeObject, SchemaProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 's5-db-migration';
const JOB = 'shop-migrate-v2';
const SCHEMA = 'schema/s5-db-migration';
const COLUMN = 'status';

const condition = (o: KubeObject | undefined, type: string) => o?.status?.conditions?.find((c: any) => c.type === type && c.status === 'True');
const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);
const ownedBy = (o: KubeObject, owner: KubeObject) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid || (r.kind === owner.kind && r.name === owner.metadata.name));

const job = (s: LabState) => s.get('Job', NS, JOB);

/** The ReplicaSets of Deployment shop whose Pod template runs v2, oldest first. */
function v2ReplicaSets(s: LabState): KubeObject[] {
  const shop = s.get('Deployment', NS, 'shop');
  if (!shop) return [];
  return s
    .list('ReplicaSet', NS)
    .filter((rs) => ownedBy(rs, shop) && versionOf(readVersion(rs)) === 'v2')
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
}

/** The drill as the cluster shows it, one sentence per step. */
function drill(s: LabState): Localized {
  const notice = s.get('ConfigMap', NS, 'shop-notice');
  const j = job(s);
  const completed: string | undefined = condition(j, 'Complete') ? j!.status.completionTime : undefined;
  const started: string | undefined = j?.status?.startTime;
  const shop = s.get('Deployment', NS, 'shop');
  const oldPods = started && shop
    ? s.list('Pod', NS, { app: 'shop' }).filter((p) => String(p.metadata.creationTimestamp) < started)
    : [];
  const rs = v2ReplicaSets(s)[0];

  const one = notice
    ? L(`1. 공지: ConfigMap shop-notice ${notice.metadata.creationTimestamp}.`, `1. Announced: ConfigMap shop-notice at ${notice.metadata.creationTimestamp}.`)
    : L('1. 공지: ConfigMap shop-notice가 없어 공지한 흔적이 없음.', '1. Announced: no trace — there is no ConfigMap shop-notice.');
  const two = !started
    ? L('2. 중지: 마이그레이션이 시작되지 않아 판단할 수 없음.', '2. Stopped: cannot tell, the migration has not started.')
    : oldPods.length
      ? L(`2. 중지: 마이그레이션 전부터 돌던 shop Pod가 아직 실행 중: ${oldPods.map((p) => `${p.metadata.name}(${podVersion(p)})`).join(', ')}.`, `2. Stopped: not quite — shop Pod ${oldPods.map((p) => `${p.metadata.name} (${podVersion(p)})`).join(', ')} from before the migration still runs.`)
      : L('2. 중지: 마이그레이션 전부터 돌던 shop Pod는 남아 있지 않음.', '2. Stopped: no shop Pod from before the migration is left.');
  const three = completed
    ? L(`3. 마이그레이션: Job ${JOB} ${completed} 완료.`, `3. Migrated: Job ${JOB} completed at ${completed}.`)
    : L(`3. 마이그레이션: Job ${JOB}가 완료되지 않음.`, `3. Migrated: Job ${JOB} has not completed.`);
  let four: Localized;
  if (!rs) four = L('4. 배포: shop의 v2 ReplicaSet이 아직 없음.', '4. Shipped: shop has no v2 ReplicaSet yet.');
  else {
    const at = String(rs.metadata.creationTimestamp);
    const after = completed ? seconds(completed, at) : undefined;
    four =
      after === undefined
        ? L(`4. 배포: v2 ReplicaSet ${rs.metadata.name} ${at} 생성, 마이그레이션 완료 전.`, `4. Shipped: v2 ReplicaSet ${rs.metadata.name} created at ${at}, with no completed migration.`)
        : after >= 0
          ? L(`4. 배포: v2 ReplicaSet ${rs.metadata.name} ${at} 생성, 마이그레이션 ${after}초 뒤.`, `4. Shipped: v2 ReplicaSet ${rs.metadata.name} created at ${at}, ${after} s after the migration.`)
          : L(`4. 배포: v2 ReplicaSet ${rs.metadata.name} ${at} 생성, 마이그레이션이 끝나기 ${-after}초 전.`, `4. Shipped: v2 ReplicaSet ${rs.metadata.name} created at ${at}, ${-after} s before the migration ended.`);
  }
  return L([one, two, three, four].map((x) => x.ko).join(' '), [one, two, three, four].map((x) => x.en).join(' '));
}

export default defineGrader({
  lab: 's5-db-migration',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'ReplicaSet', 'Pod', 'Job', 'ConfigMap', 'Event'], namespaces: [NS] }],
    probes: {
      [SCHEMA]: { type: 'sql-columns', namespace: NS, podSelector: 'app=postgres', container: 'postgres', user: 'shop', database: 'shop', table: 'orders' },
    },
  },
  checks: {
    migrated: (s) => {
      const expected = L(`Job ${JOB} 성공(Complete)`, `Job ${JOB} succeeded (Complete)`);
      const j = s.must('Job', NS, JOB);
      if (condition(j, 'Complete')) {
        const took = j.status.startTime ? seconds(j.status.startTime, j.status.completionTime) : undefined;
        return pass(L(`${j.status.completionTime} 완료${took === undefined ? '' : ` (${took}초 걸림)`}`, `completed at ${j.status.completionTime}${took === undefined ? '' : ` (took ${took} s)`}`));
      }
      const failed = condition(j, 'Failed');
      const evidence = [
        ...(failed ? [`Failed=True (${failed.reason}: ${failed.message})`] : []),
        ...s.warnings(NS, 'Job', JOB),
        ...s.list('Pod', NS, { 'job-name': JOB }).flatMap((p) => s.warnings(NS, 'Pod', p.metadata.name)),
      ];
      const observed = failed
        ? L(`실패: ${failed.reason} (실패한 Pod ${j.status.failed ?? 0}개). 로그: kubectl -n ${NS} logs job/${JOB}`, `failed: ${failed.reason} (${j.status.failed ?? 0} failed Pods). Logs: kubectl -n ${NS} logs job/${JOB}`)
        : L(`아직 실행 중 (시작 ${j.status?.startTime ?? '-'})`, `still running (started ${j.status?.startTime ?? '-'})`);
      return fail(expected, observed, { evidence });
    },

    ordered: (s) => {
      const expected = L('v2의 ReplicaSet이 마이그레이션 Job이 끝난 뒤에 생성됨', "v2's ReplicaSet created after the migration Job completed");
      const j = job(s);
      const completed: string | undefined = condition(j, 'Complete') ? j!.status.completionTime : undefined;
      const rs = v2ReplicaSets(s)[0];
      const story = drill(s);
      // Timestamps have one-second resolution; a ReplicaSet created in the second the Job
      // completed (a script acts right after `kubectl wait` returns) counts as after it.
      if (!completed || !rs || String(rs.metadata.creationTimestamp) < completed) return fail(expected, story);
      return pass(story);
    },

    scaled: (s) => {
      const outcome = runsVersion(s, NS, 'shop', 'v2');
      if (outcome.status !== 'pass') return outcome;
      const d = s.must('Deployment', NS, 'shop');
      const expected = L('v2, 사용 가능한 복제본 2개', 'v2 with 2 available replicas');
      const want = d.spec?.replicas ?? 1;
      const read = availableReplicas(s, d, expected, 0);
      if (read.failure) return read.failure;
      const available = read.count;
      if (want !== 2 || available !== 2) return fail(expected, L(`v2, 원하는 복제본 ${want}개 중 ${available}개 사용 가능`, `v2 with ${available} of ${want} replicas available`));
      return outcome;
    },

    schema: (s) => {
      const probe = s.probe<SchemaProbe>(SCHEMA);
      const expected = L(`테이블 orders에 열 ${COLUMN}`, `table orders with the column ${COLUMN}`);
      const observed = probe.columns.length ? `${probe.table}: ${probe.columns.join(', ')}` : L(`${probe.table}: 열 없음 (테이블이 없음)`, `${probe.table}: no columns (no such table)`);
      return probe.table === 'orders' && probe.columns.includes(COLUMN) ? pass(observed) : fail(expected, observed);
    },
  },
});
