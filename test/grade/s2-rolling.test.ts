/**
 * Grader of s2-rolling: a zero-downtime rolling update of Deployment web to v2.
 * Percentages in the strategy are resolved against the replica count as Kubernetes does
 * (maxUnavailable rounds down, maxSurge rounds up), so 10% of 4 is 0 unavailable and passes.
 */
import { holds } from '../../src/check-builders.js';
import { fail, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { containers } from '../../src/kube/objects.js';
import { readStrategy, runsVersion } from '../../src/kube/workload-checks.js';

const NS = 's2-rolling';
const WEB = { kind: 'Deployment', namespace: NS, name: 'web' } as const;

export default defineGrader({
  lab: 's2-rolling',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'Event'], namespaces: [NS] }],
  },
  checks: {
    strategy: holds(WEB, {
      expected: 'RollingUpdate, maxUnavailable 0, maxSurge >= 1',
      test: (d) => {
        const strategy = readStrategy(d);
        return strategy.type === 'RollingUpdate' && strategy.maxUnavailable === 0 && (strategy.maxSurge ?? 0) >= 1;
      },
      observed: (d) => readStrategy(d).observed,
    }),

    readiness: (s) => {
      const d = s.must('Deployment', NS, 'web');
      // The app's container: the one named web, else the first.
      const list = containers(d);
      const app = list.find((c) => c.name === 'web') ?? list[0];
      if (!app?.readinessProbe) return fail(L(`컨테이너 ${app?.name ?? 'web'}에 readinessProbe`, `a readinessProbe on container ${app?.name ?? 'web'}`), L('readinessProbe 없음', 'no readinessProbe'));
      const probe = app.readinessProbe;
      const how = probe.httpGet ? `httpGet ${probe.httpGet.path ?? '/'}` : probe.tcpSocket ? 'tcpSocket' : probe.exec ? 'exec' : probe.grpc ? 'grpc' : 'probe';
      return pass(`readinessProbe ${how}`);
    },

    updated: (s) => runsVersion(s, NS, 'web', 'v2'),
  },
});
