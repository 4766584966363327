/**
 * Grader of s3-bluegreen: blue/green with a script and kubectl (DESIGN §4).
 * web-blue runs v1 with version=blue, web-green runs v2 with version=green; the switch is
 * Service web's selector; traffic is sampled through the gateway at s3-bluegreen.localhost.
 */
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { conditionLines, containers, labelString, readRollout, workloadVersion } from '../../src/kube/objects.js';
import { labHost } from '../../src/platform.js';
import { describeTraffic } from '../../src/probes.js';
import type { TrafficProbe } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';

const NS = 's3-bluegreen';
const TRAFFIC = 'traffic/s3-bluegreen';
const notFound = (what: string) => L(`${what} 없음`, `${what} not found`);

const green = (s: LabState) => s.get('Deployment', NS, 'web-green');

export default defineGrader({
  lab: 's3-bluegreen',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'Service', 'Event'], namespaces: [NS] }],
    probes: { [TRAFFIC]: { type: 'traffic', host: labHost(NS), requests: 50 } },
  },
  checks: {
    'green-ready': (s) => {
      const d = green(s);
      if (!d) return fail('Deployment web-green', notFound('Deployment web-green'));
      const labels = d.spec?.template?.metadata?.labels;
      return firstFailure(
        () => (labels?.version === 'green' ? pass() : fail('Pod label version=green', `Pod labels ${labelString(labels)}`)),
        () => {
          const rollout = readRollout(d);
          if (!rollout.complete) return fail(L('롤아웃 완료, 모든 복제본 사용 가능', 'a complete rollout, every replica available'), rollout.observed, { evidence: [...conditionLines(d), ...s.warnings(NS, 'Deployment', 'web-green')] });
          const available = d.status?.availableReplicas ?? 0;
          return available >= 1 ? pass(rollout.observed) : fail(L('사용 가능한 복제본 1개 이상', 'at least 1 available replica'), rollout.observed);
        },
      );
    },

    warmup: (s) => {
      const d = green(s);
      if (!d) return fail('Deployment web-green', notFound('Deployment web-green'));
      const minReady = d.spec?.minReadySeconds ?? 0;
      const probed = containers(d).filter((c) => c.readinessProbe).map((c) => c.name);
      const observed = `readinessProbe: ${probed.length ? probed.join(', ') : 'none'}; minReadySeconds: ${minReady}`;
      if (!probed.length || minReady < 10) return fail('readinessProbe; minReadySeconds >= 10', observed);
      return pass(observed);
    },

    switched: (s) => {
      const svc = s.get('Service', NS, 'web');
      if (!svc) return fail('Service web', notFound('Service web'));
      const selector = svc.spec?.selector;
      return selector?.version === 'green' ? pass(`selector ${labelString(selector)}`) : fail('selector version=green', `selector ${labelString(selector)}`);
    },

    'rollback-ready': (s) => {
      const d = s.get('Deployment', NS, 'web-blue');
      if (!d) return fail(L('web-blue에 사용 가능한 복제본 1개 이상', 'web-blue with at least 1 available replica'), notFound('Deployment web-blue'));
      const available = d.status?.availableReplicas ?? 0;
      const observed = `web-blue: ${available} available of ${d.spec?.replicas ?? 1}`;
      return available >= 1 ? pass(observed) : fail(L('web-blue에 사용 가능한 복제본 1개 이상', 'web-blue with at least 1 available replica'), observed, { evidence: s.warnings(NS, 'Deployment', 'web-blue') });
    },

    traffic: (s) => {
      const d = green(s);
      const version = d && workloadVersion(d);
      const probe = s.probe<TrafficProbe>(TRAFFIC);
      const expected = version ? L(`모든 응답이 ${version}(web-green의 버전)`, `every answer from ${version} (web-green's version)`) : L('모든 응답이 web-green의 버전', "every answer from web-green's version");
      const seen = describeTraffic(probe);
      if (!d || !version) return fail(expected, L(`${seen}; web-green이 없어 비교할 버전이 없음`, `${seen}; no web-green, so no version to compare with`));
      const wrong = probe.requests - (probe.versions[version] ?? 0);
      if (probe.requests === 0 || wrong > 0) return fail(expected, seen);
      return pass(seen);
    },
  },
});

