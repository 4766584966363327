/**
 * Grader of l4-rollouts-analysis: a canary Rollout whose analysis measures the canary, passes v2
 * and aborts the bad v3 on its own. What each check reads is what Argo Rollouts writes (argo-rollouts
 * v1.9.1):
 * - AnalysisRuns are owned by the Rollout and labelled `rollouts-pod-template-hash` with the hash of
 *   the version they judge (rollout/analysis.go newAnalysisRunFromRollout, utils/analysis/
 *   factory.go StepLabels/BackgroundLabels); their status.phase ends Successful, Failed, Error or
 *   Inconclusive, with status.message saying why (analysis/analysis.go assessRunStatus).
 * - A run that ends Failed or Error makes the controller abort the update: status.abort true, the
 *   Progressing condition False with reason RolloutAborted, "Rollout aborted update to revision
 *   <n>: Step-based analysis phase error/failed: …" (rollout/analysis.go, rollout/sync.go). A person's
 *   abort (`kubectl argo rollouts abort`, which patches status.abort) sets the same flag but no run
 *   of that version ends Failed or Error: a run still going is canceled (spec.terminate) and ends
 *   Successful with "Run Terminated". So `aborted` asks for the failed run, not for the flag.
 * - A run canceled by a promotion ends the same way ("Run Terminated"): no verdict, so `passed` does
 *   not count it.
 * Where the analysis is used and how a template's args resolve: src/rollouts.ts (analysisUses,
 * resolvedMetrics); the route is evaluated for the request the traffic probe sends
 * (src/kube/gateway.ts); whether the Rollout's status is current: src/kube/observed.ts.
 */
import { everyAnswerIs } from '../../src/check-builders.js';
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { activeShares, describeHit, describeRequest, routeRequest, type RouteRequest } from '../../src/kube/gateway.js';
import { readVersion, versionOf } from '../../src/kube/objects.js';
import { observedStatus } from '../../src/kube/observed.js';
import { staleHint } from '../../src/kube/workload-checks.js';
import { labHost } from '../../src/platform.js';
import { analysisUses, describePhase, describeRun, resolvedMetrics, rolloutEvidence, ROLLOUT_HASH_LABEL, terminatedRun } from '../../src/rollouts.js';
import type { KubeObject } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 'l4-rollouts-analysis';
const HOST = labHost(NS);
const TRAFFIC = 'traffic/l4-rollouts-analysis';
const PLAIN: RouteRequest = { host: HOST, method: 'GET', path: '/' };

const rollout = (s: LabState) => s.must('Rollout', NS, 'web');
const ownedBy = (o: KubeObject, owner: KubeObject) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid || (r.kind === owner.kind && r.name === owner.metadata.name));

/** The pod-template hashes of web's ReplicaSets that run `version`. */
function hashesOf(s: LabState, ro: KubeObject, version: string): string[] {
  return s
    .list('ReplicaSet', NS)
    .filter((rs) => ownedBy(rs, ro) && versionOf(readVersion(rs)) === version)
    .map((rs) => rs.metadata.labels?.[ROLLOUT_HASH_LABEL])
    .filter((h): h is string => Boolean(h));
}

/** web's AnalysisRuns that judged one of these hashes, oldest first. */
function runsFor(s: LabState, ro: KubeObject, hashes: string[]): KubeObject[] {
  return s
    .list('AnalysisRun', NS)
    .filter((r) => ownedBy(r, ro) && hashes.includes(r.metadata.labels?.[ROLLOUT_HASH_LABEL] ?? ''))
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
}

const runList = (runs: KubeObject[]) => runs.map(describeRun).join('; ') || 'none';

/** Does a string of the metric's provider name the canary Service (as a whole host label)? */
const namesService = (provider: unknown, service: string) => new RegExp(`(^|[^\\w-])${service.replace(/[-.]/g, '\\$&')}([^\\w-]|$)`).test(JSON.stringify(provider ?? {}));

export default defineGrader({
  lab: 'l4-rollouts-analysis',
  needs: {
    kubernetes: [{ kinds: ['Rollout', 'ReplicaSet', 'AnalysisTemplate', 'AnalysisRun', 'Service', 'HTTPRoute', 'Event'], namespaces: [NS] }],
    probes: { [TRAFFIC]: { type: 'traffic', host: HOST, requests: 50 } },
  },
  checks: {
    template: (s) => {
      const ro = rollout(s);
      const canary = ro.spec?.strategy?.canary;
      if (!canary) return fail('strategy canary', `strategy ${Object.keys(ro.spec?.strategy ?? {}).join(', ') || 'none'}`);
      const uses = analysisUses(ro);
      const expected = L(
        `canary Service ${canary.canaryService}을(를) 재고 successCondition 또는 failureCondition이 있는 메트릭, web이 쓰는 AnalysisTemplate에`,
        `a metric that measures the canary Service ${canary.canaryService} with a successCondition or failureCondition, in an AnalysisTemplate web uses`,
      );
      if (!uses.length) return fail(expected, L('web의 canary 전략에 analysis 단계도 background analysis도 없음', "no analysis step and no background analysis in web's canary strategy"));
      const seen: string[] = [];
      for (const use of uses) {
        for (const ref of use.templates) {
          if (ref.clusterScope) {
            seen.push(`${use.where}: ClusterAnalysisTemplate ${ref.name} (not read: use an AnalysisTemplate in ${NS})`);
            continue;
          }
          const template = s.get('AnalysisTemplate', NS, ref.name);
          if (!template) {
            seen.push(`${use.where}: AnalysisTemplate ${ref.name} not found in ${NS}`);
            continue;
          }
          for (const metric of resolvedMetrics(template, use.args)) {
            const measures = namesService(metric.provider, canary.canaryService);
            const judged = Boolean(metric.successCondition || metric.failureCondition);
            const provider = Object.keys(metric.provider ?? {})[0] ?? 'no provider';
            const address = metric.provider?.web?.url ?? provider;
            if (measures && judged) return pass(`${use.where}: AnalysisTemplate ${ref.name}, metric ${metric.name}: ${address}; ${metric.successCondition ? `successCondition ${metric.successCondition}` : `failureCondition ${metric.failureCondition}`}`);
            seen.push(`${use.where}: ${ref.name}/${metric.name}: ${address}${measures ? '' : ` (not ${canary.canaryService})`}${judged ? '' : ', no condition'}`);
          }
        }
      }
      return fail(expected, seen.join('; '));
    },

    passed: (s) => {
      const ro = rollout(s);
      const v2 = hashesOf(s, ro, 'v2');
      const runs = runsFor(s, ro, v2);
      const expected = L('v2의 AnalysisRun이 Successful(취소가 아닌 판정)이고 v2가 stable', "v2's AnalysisRun Successful (a verdict, not a cancel) and v2 stable");
      return firstFailure(
        () => (v2.length ? pass() : fail(expected, L('web에 v2의 ReplicaSet이 없음: v2를 아직 내보내지 않음', 'web has no ReplicaSet of v2: v2 was not released yet'))),
        () => {
          const verdict = runs.find((r) => r.status?.phase === 'Successful' && !terminatedRun(r));
          if (verdict) return pass();
          const canceled = runs.some(terminatedRun);
          return fail(expected, L(`v2의 AnalysisRun: ${runList(runs)}`, `v2's AnalysisRuns: ${runList(runs)}`), canceled ? { hint: L('v2의 분석이 끝나기 전에 취소되었습니다(승격 또는 중단). v2를 다시 내보내고 분석이 끝날 때까지 기다리세요.', "v2's analysis was canceled before it ended (a promotion or an abort). Release v2 again and let the analysis finish.") } : undefined);
        },
        () => {
          const stable = ro.status?.stableRS;
          return v2.includes(stable) ? pass(`${runList(runs.filter((r) => r.status?.phase === 'Successful' && !terminatedRun(r)))}; stableRS ${stable} (v2)`) : fail(expected, `stableRS ${stable ?? 'none'}, v2 is ${v2.join(', ')}`);
        },
      );
    },

    aborted: (s) => {
      const ro = rollout(s);
      const v3 = hashesOf(s, ro, 'v3');
      const runs = runsFor(s, ro, v3);
      const expected = L('v3의 AnalysisRun이 Failed 또는 Error로 끝나 컨트롤러가 중단', "v3's AnalysisRun ended Failed or Error and the controller aborted");
      if (!v3.length) return fail(expected, L('web에 v3의 ReplicaSet이 없음: v3를 아직 내보내지 않음', 'web has no ReplicaSet of v3: v3 was not released yet'));
      const failed = runs.filter((r) => ['Failed', 'Error'].includes(r.status?.phase));
      const status = ro.status ?? {};
      if (!failed.length) {
        const byPerson = status.abort === true && v3.includes(status.currentPodHash);
        return fail(
          expected,
          byPerson
            ? L(`사람이 중단함: status.abort는 true지만 v3의 AnalysisRun 중 Failed나 Error로 끝난 것이 없음 (${runList(runs)})`, `aborted by a person: status.abort is true but no AnalysisRun of v3 ended Failed or Error (${runList(runs)})`)
            : L(`v3의 AnalysisRun: ${runList(runs)}`, `v3's AnalysisRuns: ${runList(runs)}`),
          { evidence: rolloutEvidence(ro) },
        );
      }
      // Still on v3's template: the controller must be holding the abort (a retry would start v3 again).
      if (v3.includes(status.currentPodHash) && status.abort !== true) {
        return fail(expected, L(`v3의 AnalysisRun은 실패했지만 Rollout이 v3를 다시 진행 중(${describePhase(ro)})`, `v3's AnalysisRun failed, but the Rollout is rolling v3 out again (${describePhase(ro)})`), { evidence: rolloutEvidence(ro) });
      }
      return pass(`${runList(failed)}; ${describePhase(ro)}`);
    },

    stable: (s) => {
      const ro = rollout(s);
      const observed = observedStatus(s, ro);
      const canary = ro.spec?.strategy?.canary ?? {};
      const expected = L(`stable ReplicaSet이 v2, HTTPRoute web이 ${canary.stableService ?? 'stable'}로 100%`, `the stable ReplicaSet on v2, HTTPRoute web sending ${canary.stableService ?? 'stable'} 100%`);
      return firstFailure(
        () => (observed.current ? pass() : fail(L('컨트롤러가 관찰한 최신 상태', 'a status the controller wrote for the latest spec'), observed.stale, { hint: staleHint })),
        () => {
          const hash = observed.status.stableRS;
          const rs = s.list('ReplicaSet', NS).find((r) => ownedBy(r, ro) && r.metadata.labels?.[ROLLOUT_HASH_LABEL] === hash);
          const version = rs && versionOf(readVersion(rs));
          return version === 'v2' ? pass() : fail(expected, `stableRS ${hash ?? 'none'}${rs ? ` (${version ?? 'unknown version'})` : ''}`);
        },
        () => {
          const route = s.must('HTTPRoute', NS, 'web');
          const hit = routeRequest([route], PLAIN);
          if (!hit) return fail(expected, L(`${describeRequest(PLAIN)}에 맞는 규칙 없음(게이트웨이는 404로 답함)`, `no rule matches ${describeRequest(PLAIN)} (the gateway answers 404)`));
          const shares = activeShares(hit.rule);
          const total = shares.reduce((sum, b) => sum + b.weight, 0);
          const toStable = shares.filter((b) => b.service === canary.stableService).reduce((sum, b) => sum + b.weight, 0);
          return total > 0 && toStable === total ? pass(`${describePhase(ro)}; ${describeHit(hit)}`) : fail(expected, `${describeRequest(PLAIN)} → ${describeHit(hit)}`);
        },
      );
    },

    traffic: everyAnswerIs(TRAFFIC, 'v2'),
  },
});
