/**
 * The Helm release steps of `up` (scripts/lib/up/helm.ts): every pinned chart installed at its version
 * with the kit's values (scripts/lib/up/renderers/chart-values.ts), and a release left alone only when
 * it runs that chart with exactly those values.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../src/paths.js';
import type { ChartName } from '../../../scripts/lib/charts.js';
import { platformFull as p } from '../../../scripts/lib/platform.js';
import { cachedChartPath } from '../../../scripts/lib/up/helm.js';
import { plan } from '../../../scripts/lib/up/plan.js';
import { chartValues } from '../../../scripts/lib/up/renderers/chart-values.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { actionLines, convergedState, fakeContext, FakeMachine, freshState, stepOf, testCredentials, todo } from '../../lib/fake-platform.js';

const creds = testCredentials();
const charts = Object.keys(versions.charts) as ChartName[];

/** The same value with every object's keys in reverse order. */
const reversed = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;

describe('the Helm releases of npm run up', () => {
  it('there is one values file per pinned chart, and each parses', () => {
    expect(readdirSync(join(ROOT, 'platform', 'values')).sort()).toEqual(charts.map((c) => `${c}.yaml`).sort());
    for (const c of charts) expect(chartValues(c, versions, p)).toBeTypeOf('object');
  });

  it('installs every chart at its pinned version into its namespace, with values written under .lab/', async () => {
    const { ctx } = fakeContext(freshState());
    const lines = actionLines(await plan(upSteps(), ctx));
    for (const [name, pin] of Object.entries(versions.charts)) {
      const helm = lines.find((l) => l.startsWith('$ helm') && l.includes(` ${pin.chart} `));
      expect(helm, name).toBeDefined();
      expect(helm).toContain(`--version ${pin.version}`);
      expect(helm).toContain('--kube-context kind-cicd-lab');
      expect(helm).toContain(`-f .lab/values/${name}.json`);
      if (pin.repo) expect(helm).toContain(`--repo ${pin.repo}`);
    }
  });

  it('installs from the package npm run prefetch keeps, when there is one', async () => {
    const { ctx } = fakeContext(freshState());
    const cached = cachedChartPath(ctx, 'gitea');
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(cached, '');
    const helm = stepOf(await plan(upSteps(['gitea']), ctx), 'gitea').actions.at(-1)!;
    expect(helm.kind === 'cmd' && helm.cmd.args).toEqual(expect.arrayContaining(['upgrade', '--install', 'gitea', `.lab/cache/charts/gitea-${versions.charts.gitea.version}.tgz`]));
    expect(helm.kind === 'cmd' && helm.cmd.args).not.toContain('--repo');
  });

  it('leaves a release alone whose values are the kit\'s in another key order (Helm returns them as it likes), and no other', async () => {
    creds.install();
    const { ctx } = fakeContext(freshState());
    const state = convergedState(ctx);
    for (const key of Object.keys(state.releases)) state.releases[key] = { ...state.releases[key], values: reversed(state.releases[key].values) };
    ctx.machine = new FakeMachine(state);
    expect(todo(await plan(upSteps(), ctx))).toEqual([]);

    const jenkins = state.releases['jenkins/jenkins'];
    const values = structuredClone(jenkins.values) as any;
    values.controller.installPlugins = [...values.controller.installPlugins].reverse();
    state.releases['jenkins/jenkins'] = { ...jenkins, values };
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(['jenkins']);
    expect(stepOf(planned, 'jenkins').observation.reason).toBe('release jenkins has other values than platform/values/jenkins.yaml + versions.json');
  });

  it('installs again a release of another chart version, or one that is not deployed', async () => {
    creds.install();
    const { ctx } = fakeContext(freshState());
    const state = convergedState(ctx);
    state.releases['gitea/gitea'] = { ...state.releases['gitea/gitea'], chart: 'gitea-1.0.0' };
    state.releases['argocd/argocd'] = { ...state.releases['argocd/argocd'], status: 'failed' };
    ctx.machine = new FakeMachine(state);
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(['gitea', 'argocd']);
    expect(stepOf(planned, 'gitea').observation.reason).toBe(`release gitea runs gitea-1.0.0, pinned gitea-${versions.charts.gitea.version}`);
    expect(stepOf(planned, 'argocd').observation.reason).toBe('release argocd is failed');
  });
});
