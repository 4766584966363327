/**
 * Grader of l4-rollouts-canary: a Rollout whose canary steps stop at 20%, with the HTTPRoute's
 * weights set by the Gateway API plugin. Shapes in src/rollouts.ts (the pod template
 * may come from spec.workloadRef; steps that do not change the weight may stand between setWeight
 * 20 and the pause); whether the Rollout's status is current in src/kube/observed.ts; the route is
 * evaluated for the request the traffic probe sends (src/kube/gateway.ts); the sample size and
 * tolerance of the traffic check in src/probes.ts.
 */
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { activeShares, describeHit, describeRequest, routeConditionLines, routeRequest, type RouteRequest } from '../../src/kube/gateway.js';
import { describeConflict, describeVersion } from '../../src/kube/objects.js';
import { observedStatus } from '../../src/kube/observed.js';
import { conflictHint, staleHint } from '../../src/kube/workload-checks.js';
import { labHost } from '../../src/platform.js';
import { anyFailed, CANARY_PERCENT, CANARY_SAMPLE, describeTraffic, failedTrafficHint, percent, TOLERANCE_POINTS, withinShare } from '../../src/probes.js';
import { describePhase, describeSteps, pluginRoutes, restingPauses, rolloutEvidence, rolloutVersion, weightAt } from '../../src/rollouts.js';
import type { TrafficProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 'l4-rollouts-canary';
const HOST = labHost(NS);
const TRAFFIC = 'traffic/l4-rollouts-canary';
const PLAIN: RouteRequest = { host: HOST, method: 'GET', path: '/' };
const rollout = (s: LabState) => s.must('Rollout', NS, 'web');

export default defineGrader({
  lab: 'l4-rollouts-canary',
  needs: {
    kubernetes: [{ kinds: ['Rollout', 'Deployment', 'Service', 'HTTPRoute', 'Event'], namespaces: [NS] }],
    probes: { [TRAFFIC]: { type: 'traffic', host: HOST, requests: CANARY_SAMPLE } },
  },
  checks: {
    rollout: (s) => {
      const ro = rollout(s);
      const canary = ro.spec?.strategy?.canary;
      if (!canary) return fail('strategy canary', `strategy ${Object.keys(ro.spec?.strategy ?? {}).join(', ') || 'none'}`);
      const steps: any[] = canary.steps ?? [];
      return firstFailure(
        () =>
          restingPauses(steps, 20).length
            ? pass(`steps ${describeSteps(steps)}`)
            : fail(
                L('setWeight 20 뒤, 가중치를 바꾸는 단계 없이 기간 없는 pause', 'setWeight 20, then a pause without a duration with no step that changes the weight in between'),
                `steps ${describeSteps(steps)}`,
              ),
        () => {
          const routes = pluginRoutes(ro);
          if (!routes) {
            return fail(L('argoproj-labs/gatewayAPI 플러그인으로 트래픽 라우팅', 'traffic routing by the argoproj-labs/gatewayAPI plugin'), `trafficRouting ${Object.keys(canary.trafficRouting ?? {}).join(', ') || 'none'}`, {
              hint: L(
                'canary 전략의 trafficRouting에 Gateway API 플러그인(argoproj-labs/gatewayAPI)과 HTTPRoute web을 적으세요. 그래야 컨트롤러가 단계마다 HTTPRoute의 가중치를 바꿉니다. 없으면 트래픽은 Service만 보고 나뉩니다.',
                'Name the Gateway API plugin (argoproj-labs/gatewayAPI) and HTTPRoute web under the canary strategy\'s trafficRouting, so that the controller sets the HTTPRoute\'s weights at each step; without it traffic is split by Services alone.',
              ),
            });
          }
          return routes.names.includes('web') && routes.namespace === NS
            ? pass(`HTTPRoute ${NS}/web by argoproj-labs/gatewayAPI`)
            : fail(`HTTPRoute ${NS}/web`, `HTTPRoutes ${routes.names.map((n) => `${routes.namespace}/${n}`).join(', ') || 'none'}`, {
                hint: L('플러그인 설정의 httpRoute(와 namespace)가 이 실습의 HTTPRoute web을 가리켜야 합니다.', "The plugin's httpRoute (and namespace) must name this lab's HTTPRoute web."),
              });
        },
      );
    },

    'paused-at-20': (s) => {
      const ro = rollout(s);
      const observed = observedStatus(s, ro);
      const status = observed.status;
      const steps: any[] = ro.spec?.strategy?.canary?.steps ?? [];
      const index = Number(status.currentStepIndex ?? 0);
      return firstFailure(
        () => (observed.current ? pass() : fail(L('컨트롤러가 관찰한 최신 상태', 'a status the controller wrote for the latest spec'), observed.stale, { hint: staleHint })),
        () => {
          const version = rolloutVersion(s, ro);
          const expected = L('canary로 v2가 진행 중', 'v2 in progress as the canary');
          if (version.missing) return fail(expected, version.missing);
          if (version.conflict) return fail(expected, describeConflict(version), { hint: conflictHint });
          const inProgress = status.currentPodHash && status.stableRS && status.currentPodHash !== status.stableRS;
          if (version.version === 'v2' && inProgress) return pass();
          const shown = describeVersion(version);
          const progress = inProgress ? 'a canary is in progress' : `no canary in progress (currentPodHash ${status.currentPodHash ?? '-'} = stableRS ${status.stableRS ?? '-'})`;
          return fail(expected, L(`템플릿 ${shown.ko}; ${progress}`, `template ${shown.en}; ${progress}`));
        },
        () => {
          const paused = status.phase === 'Paused' && (status.pauseConditions ?? []).some((p: any) => p.reason === 'CanaryPauseStep');
          // Paused at a pause step while the weight in effect is 20 (whether that pause waits for a person is rollout's to judge).
          const atStep = steps[index]?.pause !== undefined && weightAt(steps, index) === 20;
          return paused && atStep
            ? pass()
            : fail(L('setWeight 20 뒤의 pause 단계에서 멈춤', 'paused (CanaryPauseStep) at the pause after setWeight 20'), `${describePhase(ro)}, step ${index} of ${steps.length}, weight ${weightAt(steps, index) ?? 'none'}`, { evidence: rolloutEvidence(ro) });
        },
        () => {
          const route = s.must('HTTPRoute', NS, 'web');
          const canary = ro.spec.strategy.canary;
          const expected = `${describeRequest(PLAIN)} → ${canary.stableService} 80, ${canary.canaryService} 20`;
          const hit = routeRequest([route], PLAIN);
          if (!hit) return fail(expected, L(`${describeRequest(PLAIN)}에 맞는 규칙 없음(게이트웨이는 404로 답함)`, `no rule matches ${describeRequest(PLAIN)} (the gateway answers 404)`), { evidence: routeConditionLines(route) });
          const shares = activeShares(hit.rule);
          const total = shares.reduce((sum, b) => sum + b.weight, 0);
          const toCanary = shares.filter((b) => b.service === canary.canaryService).reduce((sum, b) => sum + b.weight, 0);
          const toStable = shares.filter((b) => b.service === canary.stableService).reduce((sum, b) => sum + b.weight, 0);
          const ok = total > 0 && 100 * toCanary === 20 * total && toCanary + toStable === total;
          return ok ? pass(`${describePhase(ro)}; ${describeHit(hit)}`) : fail(expected, `${describeRequest(PLAIN)} → ${describeHit(hit)}`);
        },
      );
    },

    traffic: (s) => {
      const probe = s.probe<TrafficProbe>(TRAFFIC);
      const v2 = probe.versions.v2 ?? 0;
      const seen = describeTraffic(probe);
      const observed = L(`${seen.ko} (v2 ${percent(v2, probe.requests)})`, `${seen.en} (v2 ${percent(v2, probe.requests)})`);
      const expected = L(`v2 비율 ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS}%p`, `a v2 share of ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS} points`);
      if (anyFailed(probe)) return fail(expected, observed, { hint: failedTrafficHint(probe) });
      return withinShare(v2, probe.requests) ? pass(observed) : fail(expected, observed);
    },
  },
});
