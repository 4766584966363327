/**
 * Grader of s3-bluegreen: blue/green with a script and kubectl.
 * web-blue runs v1 with version=blue, web-green runs v2 with version=green (green is the version
 * being released); the switch is Service web's selector; traffic is sampled through the gateway at
 * s3-bluegreen.localhost.
 */
import { fieldEquals, holds } from '../../src/check-builders.js';
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { containers, labelString, readRollout, readVersion, versionOf } from '../../src/kube/objects.js';
import { availableReplicas, rolloutFailure, versionFailure } from '../../src/kube/workload-checks.js';
import { labHost } from '../../src/platform.js';
import { anyFailed, describeTraffic, failedTrafficHint } from '../../src/probes.js';
import type { KubeObject, TrafficProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 's3-bluegreen';
const TRAFFIC = 'traffic/s3-bluegreen';
const GREEN = { kind: 'Deployment', namespace: NS, name: 'web-green' } as const;

const green = (s: LabState) => s.must('Deployment', NS, 'web-green');

/** The containers with a readinessProbe, and minReadySeconds. */
const warmupOf = (d: KubeObject) => ({ probed: containers(d).filter((c) => c.readinessProbe).map((c) => c.name), minReady: d.spec?.minReadySeconds ?? 0 });

export default defineGrader({
  lab: 's3-bluegreen',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'Service', 'Event'], namespaces: [NS] }],
    probes: { [TRAFFIC]: { type: 'traffic', host: labHost(NS), requests: 50 } },
  },
  checks: {
    'green-ready': (s) => {
      const d = green(s);
      const labels = d.spec?.template?.metadata?.labels;
      return firstFailure(
        () => (labels?.version === 'green' ? pass() : fail('Pod label version=green', `Pod labels ${labelString(labels)}`)),
        () =>
          versionFailure(readVersion(d), 'v2', L('버전 v2', 'version v2'), undefined, L(
            'green은 새로 내보내는 버전 v2이고, blue가 v1을 계속 실행합니다. web-green이 v2 이미지를 실행해야 합니다.',
            'Green is the version being released, v2, while blue keeps running v1: web-green must run the v2 image.',
          )) ?? pass(),
        () => rolloutFailure(s, d, L('롤아웃 완료: 복제본 1개 이상, 모두 사용 가능', 'a complete rollout: at least 1 replica, every replica available')) ?? pass(readRollout(d).observed),
      );
    },

    warmup: holds(GREEN, {
      expected: 'readinessProbe; minReadySeconds >= 10',
      test: (d) => {
        const { probed, minReady } = warmupOf(d);
        return probed.length > 0 && minReady >= 10;
      },
      observed: (d) => {
        const { probed, minReady } = warmupOf(d);
        return `readinessProbe: ${probed.length ? probed.join(', ') : 'none'}; minReadySeconds: ${minReady}`;
      },
    }),

    switched: fieldEquals({ kind: 'Service', namespace: NS, name: 'web' }, 'spec.selector.version', 'green', {
      expected: 'selector version=green',
      observed: (svc) => `selector ${labelString(svc.spec?.selector)}`,
    }),

    'rollback-ready': (s) => {
      const expected = L('web-blue에 사용 가능한 복제본 1개 이상', 'web-blue with at least 1 available replica');
      const d = s.must('Deployment', NS, 'web-blue');
      const available = availableReplicas(s, d, expected);
      return available.failure ?? pass(`web-blue: ${available.count} available of ${d.spec?.replicas ?? 1}`);
    },

    traffic: (s) => {
      const d = s.get('Deployment', NS, 'web-green');
      const version = d && versionOf(readVersion(d));
      const probe = s.probe<TrafficProbe>(TRAFFIC);
      const expected = version ? L(`모든 응답이 ${version}(web-green의 버전)`, `every answer from ${version} (web-green's version)`) : L('모든 응답이 web-green의 버전', "every answer from web-green's version");
      const seen = describeTraffic(probe);
      if (!d || !version) return fail(expected, L(`${seen.ko}; web-green이 없거나 버전을 알 수 없어 비교할 버전이 없음`, `${seen.en}; no web-green or no version of it to compare with`));
      if (anyFailed(probe)) return fail(expected, seen, { hint: failedTrafficHint(probe) });
      const wrong = probe.requests - (probe.versions[version] ?? 0);
      if (probe.requests === 0 || wrong > 0) return fail(expected, seen);
      return pass(seen);
    },
  },
});

