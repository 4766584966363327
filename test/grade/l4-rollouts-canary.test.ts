/**
 * Grader of l4-rollouts-canary: a Rollout whose canary steps stop at 20%, with the HTTPRoute's
 * weights set by the Gateway API plugin (DESIGN §4). Shapes in src/rollouts.ts and
 * src/kube/gateway.ts; the sample size and tolerance of the traffic check in src/probes.ts.
 */
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { describeShares, ruleShares, rulesWith } from '../../src/kube/gateway.js';
import { workloadVersion } from '../../src/kube/objects.js';
import { labHost } from '../../src/platform.js';
import { CANARY_PERCENT, CANARY_SAMPLE, describeTraffic, percent, TOLERANCE_POINTS, withinShare } from '../../src/probes.js';
import { describePhase, indefinitePause, pluginRoutes, rolloutEvidence, staleStatus, weightBefore } from '../../src/rollouts.js';
import type { TrafficProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 'l4-rollouts-canary';
const TRAFFIC = 'traffic/l4-rollouts-canary';
const notFound = L('Rollout web 없음', 'Rollout web not found');
const rollout = (s: LabState) => s.get('Rollout', NS, 'web');

export default defineGrader({
  lab: 'l4-rollouts-canary',
  needs: {
    kubernetes: [{ kinds: ['Rollout', 'Service', 'HTTPRoute', 'Event'], namespaces: [NS] }],
    probes: { [TRAFFIC]: { type: 'traffic', host: labHost(NS), requests: CANARY_SAMPLE } },
  },
  checks: {
    rollout: (s) => {
      const ro = rollout(s);
      if (!ro) return fail('Rollout web', notFound);
      const canary = ro.spec?.strategy?.canary;
      if (!canary) return fail('strategy canary', `strategy ${Object.keys(ro.spec?.strategy ?? {}).join(', ') || 'none'}`);
      const steps: any[] = canary.steps ?? [];
      const shown = steps.map((st) => (st.setWeight !== undefined ? `setWeight ${st.setWeight}` : st.pause !== undefined ? `pause${st.pause?.duration !== undefined ? ` ${st.pause.duration}` : ''}` : Object.keys(st)[0])).join(' → ') || 'no steps';
      return firstFailure(
        () =>
          steps.some((st, i) => Number(st.setWeight) === 20 && indefinitePause(steps[i + 1]))
            ? pass(`steps ${shown}`)
            : fail(L('setWeight 20 바로 뒤에 기간 없는 pause', 'setWeight 20 followed by a pause without a duration'), `steps ${shown}`),
        () => {
          const routes = pluginRoutes(ro);
          if (!routes) return fail(L('argoproj-labs/gatewayAPI 플러그인으로 트래픽 라우팅', 'traffic routing by the argoproj-labs/gatewayAPI plugin'), `trafficRouting ${Object.keys(canary.trafficRouting ?? {}).join(', ') || 'none'}`);
          return routes.names.includes('web') && routes.namespace === NS
            ? pass(`HTTPRoute ${NS}/web by argoproj-labs/gatewayAPI`)
            : fail(`HTTPRoute ${NS}/web`, `HTTPRoutes ${routes.names.map((n) => `${routes.namespace}/${n}`).join(', ') || 'none'}`);
        },
      );
    },

    'paused-at-20': (s) => {
      const ro = rollout(s);
      if (!ro) return fail(L('20% 단계에서 멈춘 Rollout web', 'Rollout web paused at the 20% step'), notFound);
      const status = ro.status ?? {};
      const steps: any[] = ro.spec?.strategy?.canary?.steps ?? [];
      const index = Number(status.currentStepIndex ?? 0);
      return firstFailure(
        () => {
          const stale = staleStatus(ro);
          return stale ? fail(L('컨트롤러가 관찰한 최신 상태', 'a status the controller wrote for the latest spec'), stale) : pass();
        },
        () => {
          const version = workloadVersion(ro);
          const inProgress = status.currentPodHash && status.stableRS && status.currentPodHash !== status.stableRS;
          if (version === 'v2' && inProgress) return pass();
          return fail(L('canary로 v2가 진행 중', 'v2 in progress as the canary'), `template version ${version ?? 'none'}; ${inProgress ? 'a canary is in progress' : `no canary in progress (currentPodHash ${status.currentPodHash ?? '-'} = stableRS ${status.stableRS ?? '-'})`}`);
        },
        () => {
          const paused = status.phase === 'Paused' && (status.pauseConditions ?? []).some((p: any) => p.reason === 'CanaryPauseStep');
          const atStep = steps[index]?.pause !== undefined && weightBefore(steps, index) === 20;
          return paused && atStep
            ? pass()
            : fail(L('setWeight 20 다음 pause 단계에서 멈춤', 'paused (CanaryPauseStep) at the pause after setWeight 20'), `${describePhase(ro)}, step ${index} of ${steps.length}, last weight ${weightBefore(steps, index) ?? 'none'}`, { evidence: rolloutEvidence(ro) });
        },
        () => {
          const route = s.get('HTTPRoute', NS, 'web');
          if (!route) return fail('HTTPRoute web', L('HTTPRoute web 없음', 'HTTPRoute web not found'));
          const canary = ro.spec.strategy.canary;
          const rules = rulesWith(route, canary.stableService, canary.canaryService);
          if (!rules.length) return fail(L(`${canary.stableService}와 ${canary.canaryService}로 보내는 규칙`, `a rule that sends to ${canary.stableService} and ${canary.canaryService}`), L('그런 규칙 없음', 'no such rule'));
          const wrong = rules.map(ruleShares).find((shares) => Math.abs((shares.find((x) => x.service === canary.canaryService)?.share ?? 0) - 0.2) > 1e-9);
          return wrong
            ? fail(`${canary.stableService} 80, ${canary.canaryService} 20`, describeShares(wrong))
            : pass(`${describePhase(ro)}; ${describeShares(ruleShares(rules[0]))}`);
        },
      );
    },

    traffic: (s) => {
      const probe = s.probe<TrafficProbe>(TRAFFIC);
      const v2 = probe.versions.v2 ?? 0;
      const observed = `${describeTraffic(probe)} (v2 ${percent(v2, probe.requests)})`;
      const expected = L(`v2 비율 ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS}%p`, `a v2 share of ${CANARY_PERCENT}% ± ${TOLERANCE_POINTS} points`);
      return withinShare(v2, probe.requests) ? pass(observed) : fail(expected, observed);
    },
  },
});
