/**
 * Grader of s1-recreate: Deployment web updated from v1 to v2 with the Recreate strategy.
 */
import { fieldEquals } from '../../src/check-builders.js';
import { defineGrader } from '../../src/grader.js';
import { readStrategy, runsVersion } from '../../src/kube/workload-checks.js';

const NS = 's1-recreate';
const WEB = { kind: 'Deployment', namespace: NS, name: 'web' } as const;

export default defineGrader({
  lab: 's1-recreate',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'Event'], namespaces: [NS] }],
  },
  checks: {
    // An unset type is RollingUpdate, as readStrategy shows it.
    strategy: fieldEquals(WEB, 'spec.strategy.type', 'Recreate', { expected: 'strategy Recreate', observed: (d) => readStrategy(d).observed }),

    updated: (s) => runsVersion(s, NS, 'web', 'v2'),
  },
});
