/**
 * Grader of s1-recreate: Deployment web updated from v1 to v2 with the Recreate strategy (DESIGN §4).
 */
import { fail, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { readStrategy, runsVersion } from '../../src/kube/workload-checks.js';

const NS = 's1-recreate';

export default defineGrader({
  lab: 's1-recreate',
  needs: {
    kubernetes: [{ kinds: ['Deployment', 'Event'], namespaces: [NS] }],
  },
  checks: {
    strategy: (s) => {
      const d = s.get('Deployment', NS, 'web');
      if (!d) return fail('strategy Recreate', L('Deployment web 없음', 'Deployment web not found'));
      const strategy = readStrategy(d);
      return strategy.type === 'Recreate' ? pass('Recreate') : fail('strategy Recreate', strategy.observed);
    },

    updated: (s) => runsVersion(s, NS, 'web', 'v2'),
  },
});
