/**
 * Grader of l4-rollouts-bluegreen: the blue/green switch of s3, done by the Argo Rollouts
 * controller. Rollout shapes (the pod template may come from spec.workloadRef) are in
 * src/rollouts.ts; whether its status is current in src/kube/observed.ts.
 */
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { describeConflict, describeVersion, labelString } from '../../src/kube/objects.js';
import { observedStatus } from '../../src/kube/observed.js';
import { conflictHint, staleHint } from '../../src/kube/workload-checks.js';
import { describePhase, rolloutEvidence, ROLLOUT_HASH_LABEL, rolloutVersion } from '../../src/rollouts.js';
import type { LabState } from '../../src/state.js';

const NS = 'l4-rollouts-bluegreen';
const WANT = { activeService: 'web-active', previewService: 'web-preview', autoPromotionEnabled: false };

/** Rollout web; when it is missing, the evidence says where it starts if Deployment web still runs the app. */
const rollout = (s: LabState) =>
  s.must('Rollout', NS, 'web', () => ({
    evidence: s.get('Deployment', NS, 'web') ? ['Deployment web still runs the app: its manifest is where the Rollout starts (kind: Rollout, apiVersion: argoproj.io/v1alpha1)'] : [],
  }));

export default defineGrader({
  lab: 'l4-rollouts-bluegreen',
  needs: { kubernetes: [{ kinds: ['Rollout', 'Deployment', 'Service', 'Event'], namespaces: [NS] }] },
  checks: {
    rollout: (s) => {
      const ro = rollout(s);
      const strategy = ro.spec?.strategy ?? {};
      const bg = strategy.blueGreen;
      if (!bg) return fail('strategy blueGreen', `strategy ${Object.keys(strategy).join(', ') || 'none'}`);
      const observed = `activeService ${bg.activeService ?? '-'}, previewService ${bg.previewService ?? '-'}, autoPromotionEnabled ${bg.autoPromotionEnabled ?? 'true (default)'}`;
      const expected = 'activeService web-active, previewService web-preview, autoPromotionEnabled false';
      const ok = bg.activeService === WANT.activeService && bg.previewService === WANT.previewService && bg.autoPromotionEnabled === WANT.autoPromotionEnabled;
      return ok ? pass(observed) : fail(expected, observed);
    },

    promoted: (s) => {
      const ro = rollout(s);
      const observed = observedStatus(s, ro);
      const status = observed.status;
      const hash: string | undefined = status.currentPodHash;
      return firstFailure(
        () => {
          const version = rolloutVersion(s, ro);
          const expected = L('Pod 템플릿이 v2', 'a Pod template that runs v2');
          if (version.missing) return fail(expected, version.missing);
          if (version.conflict) return fail(expected, describeConflict(version), { hint: conflictHint });
          return version.version === 'v2' ? pass() : fail(expected, describeVersion(version));
        },
        () => (observed.current ? pass() : fail(L('컨트롤러가 관찰한 최신 상태', 'a status the controller wrote for the latest spec'), observed.stale, { hint: staleHint })),
        () =>
          status.phase === 'Healthy'
            ? pass()
            : fail('phase Healthy', describePhase(ro), {
                evidence: rolloutEvidence(ro),
                hint: status.phase === 'Paused'
                  ? L('v2가 preview에서 기다리고 있습니다. 확인했으면 승격하세요.', 'v2 is waiting on the preview Service. Once you have checked it, promote it.')
                  : undefined,
              }),
        () =>
          hash && status.blueGreen?.activeSelector === hash
            ? pass()
            : fail(`status.blueGreen.activeSelector = currentPodHash (${hash ?? 'none'})`, `activeSelector ${status.blueGreen?.activeSelector ?? 'none'}`),
        () => {
          const svc = s.must('Service', NS, 'web-active');
          const selected = svc.spec?.selector?.[ROLLOUT_HASH_LABEL];
          return selected === hash
            ? pass(`v2 active: web-active selects ${ROLLOUT_HASH_LABEL}=${hash}`)
            : fail(`web-active selects ${ROLLOUT_HASH_LABEL}=${hash}`, `selector ${labelString(svc.spec?.selector)}`);
        },
      );
    },
  },
});
