/**
 * Installing a pinned chart with Helm: from the package `npm run prefetch` keeps, else from its
 * repository; with the values of renderers/chart-values.ts written under .lab/values/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Localized } from '../../../src/i18n.js';
import type { ChartName } from '../charts.js';
import type { Cmd } from '../exec.js';
import type { Component, PlatformFull } from '../platform.js';
import { chartArgs, type ChartPin } from '../versions.js';
import { cacheDir, labDir, type UpContext } from './context.js';
import { cmd, task, type Step } from './plan.js';
import { chartValues } from './renderers/chart-values.js';

/** The packaged chart `npm run prefetch` keeps in .lab/cache/charts, named as `helm pull` names it. */
export const cachedChartPath = (ctx: Pick<UpContext, 'root' | 'versions'>, chart: ChartName) => {
  const pin = ctx.versions.charts[chart];
  return join(cacheDir(ctx), 'charts', `${pin.chart.split('/').pop()}-${pin.version}.tgz`);
};

/** The chart to install: the prefetched package when there is one (offline workshops), else the pinned remote chart. */
export function chartSource(ctx: Pick<UpContext, 'root' | 'versions'>, chart: ChartName): string[] {
  const cached = cachedChartPath(ctx, chart);
  return existsSync(cached) ? [relative(ctx.root, cached)] : chartArgs(ctx.versions.charts[chart]);
}

/** A Helm release step: observe chart version, status and supplied values; act with upgrade --install. */
export function helmStep(id: string, component: Component, title: Localized, chart: ChartName, key: keyof PlatformFull['releases'], ready: (ctx: UpContext) => Cmd[]): Step {
  const valuesPath = (ctx: UpContext) => join(labDir(ctx), 'values', `${chart}.json`);
  return {
    id,
    component,
    title,
    async observe(ctx) {
      const release = ctx.platform.releases[key];
      const pin: ChartPin = ctx.versions.charts[chart];
      const found = await ctx.machine.release(release.name, release.namespace);
      if (!found) return { done: false, reason: `no Helm release ${release.namespace}/${release.name}` };
      const wanted = `${pin.chart.split('/').pop()}-${pin.version}`;
      if (found.chart !== wanted) return { done: false, reason: `release ${release.name} runs ${found.chart}, pinned ${wanted}` };
      if (found.status !== 'deployed') return { done: false, reason: `release ${release.name} is ${found.status}` };
      // The values as Helm was given them (the JSON file the action writes) against what Helm returns;
      // key order is no difference: isDeepStrictEqual compares an object's keys as a set.
      const given = JSON.parse(JSON.stringify(chartValues(chart, ctx.versions, ctx.platform, ctx.env)));
      if (!isDeepStrictEqual(found.values, given)) return { done: false, reason: `release ${release.name} has other values than platform/values/${chart}.yaml + versions.json` };
      return { done: true, reason: `${release.name} ${found.chart} deployed with the kit's values` };
    },
    actions(ctx) {
      const file = valuesPath(ctx);
      const release = ctx.platform.releases[key];
      return [
        task(`write ${relative(ctx.root, file)} (platform/values/${chart}.yaml + versions.json + platform.yaml)`, async () => {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, `${JSON.stringify(chartValues(chart, ctx.versions, ctx.platform, ctx.env), null, 2)}\n`);
        }),
        cmd({
          cmd: 'helm',
          args: ['--kube-context', ctx.context, 'upgrade', '--install', release.name, ...chartSource(ctx, chart), '--namespace', release.namespace, '--create-namespace', '-f', relative(ctx.root, file), '--timeout', '15m0s'],
        }),
      ];
    },
    ready: (ctx) => ready(ctx).map(cmd),
  };
}
