/**
 * The kubectl-only labs (every start and solve step is `apply` or `run`), solved with the live
 * executor of `npm run lab -- solve` and graded live with the real collector, on K3s.
 * Skips with the reason printed where there is no Docker. Traffic checks are skipped: no gateway runs
 * on this K3s (test/integration/k3s.ts says why).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/collect/index.js';
import { gradeLab, loadGrader } from '../../src/engine.js';
import { runSteps } from '../../src/lifecycle.js';
import { ROOT } from '../../src/paths.js';
import type { Snapshot } from '../../src/snapshot.js';
import { LabState } from '../../src/state.js';
import { liveRunner, must } from '../../scripts/lib/exec.js';
import { LiveExecutor } from '../../scripts/lib/executor.js';
import { gatewayApiInstallUrl } from '../../scripts/lib/versions.js';
import { buildAndPush, CONTEXT, dockerMissing, kubectlOnlyLabs, startK3s, type K3sPlatform } from './k3s.js';

const missing = await dockerMissing();
if (missing) console.log(`integration tier skipped: ${missing}. It runs where Docker exists (the kit workflow's integration job).`);
const appDir = join(ROOT, 'labs', 'app');

/** Live-only probes that need the gateway are dropped, so their checks skip with NotCaptured's reason. */
function withoutProbes(snapshot: Snapshot): Snapshot {
  const { probes: _p, ...rest } = snapshot;
  return { ...rest, unavailable: (snapshot.unavailable ?? []).filter((u) => u.source !== 'probe') };
}

describe.skipIf(Boolean(missing))(`kubectl-only labs on K3s, solved by the live executor and graded live${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let k3s: K3sPlatform;
  const env = () => ({ ...process.env, KUBECONFIG: k3s.kubeconfig, LAB_CONTEXT: CONTEXT });

  beforeAll(async () => {
    k3s = await startK3s();
    process.env.KUBECONFIG = k3s.kubeconfig;
    // HTTPRoutes must apply: the Gateway API CRDs of the pinned version (needs the internet, as CI has).
    await must(liveRunner, { cmd: 'kubectl', args: ['--context', CONTEXT, 'apply', '--server-side', '-f', gatewayApiInstallUrl()] });
    if (existsSync(join(appDir, 'Dockerfile'))) for (const v of ['v1', 'v2']) buildAndPush(appDir, k3s.registryPort, v);
  });
  afterAll(async () => {
    await k3s?.stop();
  });

  it('finds at least one kubectl-only lab to solve', () => {
    expect(kubectlOnlyLabs().map((l) => l.id)).toContain('s3-bluegreen');
  });

  for (const lab of kubectlOnlyLabs()) {
    it.skipIf(!existsSync(join(appDir, 'Dockerfile')))(`${lab.id}: solve passes every check but traffic (no gateway on K3s: traffic checks skip)`, async () => {
      const executor = new LiveExecutor({ context: CONTEXT, env: env(), log: () => {} });
      await runSteps(lab.start, executor);
      await runSteps(lab.solve, executor);
      const grader = await loadGrader(lab.id);
      const deadline = Date.now() + 240_000;
      let result;
      for (;;) {
        const snapshot = withoutProbes(await collect([grader.needs], { context: CONTEXT, env: env() }));
        result = gradeLab(grader, new LabState(snapshot, 'live'));
        const failing = result.checks.filter((c) => c.status === 'fail');
        if (!failing.length || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 3000));
      }
      const byStatus = Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
      for (const c of result.checks) {
        // Only the gateway's live probes may skip (their reason names the missing probes."…" measurement).
        if (c.status === 'skip' && c.reason?.en.includes('probes.')) continue;
        expect(c.status, `${lab.id} [${c.id}]: ${JSON.stringify(c)}`).toBe('pass');
      }
      expect(Object.values(byStatus)).toContain('pass');
    });
  }
});
