#!/usr/bin/env -S npx tsx
/**
 * npm run prefetch [-- --share] [--arch amd64,arm64] [--dry-run]
 *
 * Workshop preparation, run once on a good link before the room fills up:
 *   1. starts the pull-through mirrors (registry in proxy mode, one per upstream: docker.io, ghcr.io,
 *      quay.io, registry.k8s.io, ecr-public.aws.com, docker.gitea.com: platform.yaml), whose caches
 *      live in Docker volumes;
 *   2. pulls the pinned Helm charts into .lab/cache/charts (`up` installs from there when present);
 *   3. pulls every image the platform runs through the mirrors — the images the charts render with the
 *      kit's values, plus the build-pod images of versions.json — so the cache holds them;
 *   4. downloads the Gateway API CRDs and the Rollouts plugin binary into .lab/cache;
 *   5. pulls the kind node image and the registry image into the local Docker.
 * With --share the mirrors listen on every interface of this machine, so a room can use one cache:
 * each learner runs `LAB_MIRROR_HOST=<this machine's address> npm run up`. Mirrors an earlier `up`
 * published on 127.0.0.1 are re-created on 0.0.0.0 (their caches are volumes: nothing is lost), and
 * the choice is kept in .lab/mirrors.json, so a later `up` on this machine keeps them shared.
 *
 * Options:
 *   --share            publish the mirrors on 0.0.0.0 (LAN) instead of 127.0.0.1 (without it, on
 *                      LAB_MIRROR_BIND or 127.0.0.1)
 *   --arch <list>      architectures to fill the mirrors for (default: this Docker engine's)
 *   --dry-run          print what it would do, do nothing
 * Environment: LAB_MIRROR_HOST (fill that machine's mirrors instead of local ones),
 *   LAB_DOCKERHUB_USER / LAB_DOCKERHUB_TOKEN (Docker Hub login for the docker.io mirror), LAB_LANG.
 * Exit: 0 done · 1 something could not be fetched (listed) · 2 bad input.
 *
 * Not mirrored (said in docs/reference/platform.md): Jenkins plugins (Jenkins downloads them from the
 * Jenkins update site at its first start) and npm packages of the builds.
 * The registry walk is tested against a stand-in registry; the e2e workflow runs prefetch for real.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LabError, runMain } from '../src/errors.js';
import { L, t } from '../src/i18n.js';
import { asLabError, requireLabContext } from './lib/cli.js';
import { parseOptions } from './lib/options.js';
import { shellLine, type Cmd } from './lib/exec.js';
import { parseImageRef, pullThrough } from './lib/mirror.js';
import { helmTemplate, imageRoute, imagesOfRendered, renderedObjects, type ChartName } from './lib/charts.js';
import { download } from './lib/download.js';
import { chartArgs, gatewayApiInstallUrl, rolloutsPluginUrl } from './lib/versions.js';
import { writeFileSync } from 'node:fs';
import { printHelp, wantsHelp } from './lib/help.js';
import { pluginCachePath } from './lib/up/components/rollouts.js';
import { cacheDir, labDir, type UpContext } from './lib/up/context.js';
import { cachedChartPath } from './lib/up/helm.js';
import { liveContext, normalizeArch } from './lib/up/live-context.js';
import { saveMirrorBind } from './lib/up/mirrors.js';
import { converge } from './lib/up/plan.js';
import { chartValues } from './lib/up/renderers/chart-values.js';
import { upSteps } from './lib/up/steps.js';

const USAGE = L('사용법: npm run prefetch [-- --share] [--arch amd64,arm64] [--dry-run]', 'usage: npm run prefetch [-- --share] [--arch amd64,arm64] [--dry-run]');

export function helmPull(ctx: UpContext, chart: ChartName): Cmd {
  return { cmd: 'helm', args: ['pull', ...chartArgs(ctx.versions.charts[chart]), '--destination', relative(ctx.root, join(cacheDir(ctx), 'charts'))] };
}

/** The images of versions.json that run in the platform (K3s is the integration tier's, not the platform's). */
export const versionImages = (ctx: UpContext) => Object.entries(ctx.versions.images).filter(([k]) => k !== 'k3s').map(([, v]) => v);

/** Where prefetch pulls an image through (the mirror's address from this machine), or why it does not. */
export function prefetchRoute(ctx: UpContext, image: string): { url: string } | { skip: string } {
  const route = imageRoute(image, ctx.platform, ctx.env);
  if (route.via === 'mirror') return { url: `http://${ctx.env.LAB_MIRROR_HOST ?? '127.0.0.1'}:${route.mirror.port}` };
  return { skip: route.via === 'local' ? `local: ${route.reason}` : `direct: ${route.reason}` };
}

const describeRoute = (ctx: UpContext, image: string) => {
  const r = prefetchRoute(ctx, image);
  return 'url' in r ? `through ${r.url}` : `not through a mirror (${r.skip})`;
};

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  if (wantsHelp(argv)) return printHelp('prefetch', env);
  const { values } = parseOptions(argv, { share: { type: 'boolean' }, arch: { type: 'string' }, 'dry-run': { type: 'boolean' }, context: { type: 'string' } }, USAGE);
  requireLabContext(values.context, 'prefetch', env);
  const ctx = await liveContext({ env: { ...env, ...(values.share ? { LAB_MIRROR_BIND: '0.0.0.0' } : {}) } });
  const bind = values.share ? '0.0.0.0' : (env.LAB_MIRROR_BIND ?? '127.0.0.1');
  const arches = (values.arch ?? ctx.arch).split(',').map((a) => normalizeArch(a.trim()));
  const lang = ctx.lang;
  const say = (ko: string, en: string) => console.log(t(L(ko, en), lang));
  const charts = Object.keys(ctx.versions.charts) as ChartName[];

  if (values['dry-run']) {
    say('prefetch가 할 일:', 'prefetch would:');
    if (!env.LAB_MIRROR_HOST) console.log(`  • start the mirrors, or re-create those published elsewhere: ${ctx.platform.mirrors.map((m) => `${m.container} (${bind}:${m.port} → ${m.remote})`).join(', ')}; later runs of up keep them on ${bind} (.lab/mirrors.json)`);
    for (const c of charts) console.log(`  $ ${shellLine(helmPull(ctx, c))}`);
    console.log(`  • helm template each chart with the kit's values and pull every image it makes the cluster pull through its registry's mirror (${arches.join(', ')}); an image without one is listed with the reason`);
    for (const image of versionImages(ctx)) console.log(`  • pull ${image} ${describeRoute(ctx, image)}`);
    console.log(`  • download ${gatewayApiInstallUrl(ctx.versions)}`);
    for (const a of arches) console.log(`  • download ${rolloutsPluginUrl(a, ctx.versions)}`);
    console.log(`  $ docker pull ${ctx.versions.kind.nodeImage}`);
    console.log(`  $ docker pull ${ctx.versions.images.registry}`);
    return 0;
  }
  if (!(await ctx.machine.dockerReachable())) throw new LabError(L('Docker에 연결할 수 없습니다: npm run doctor', 'Docker is not reachable: npm run doctor'));

  const failures: string[] = [];
  try {
    if (!env.LAB_MIRROR_HOST) {
      // What the room was told to use is what later runs of up keep (mirrorBind).
      saveMirrorBind(ctx, bind);
      await converge(upSteps().filter((s) => s.id === 'registry' || s.id === 'mirrors'), ctx);
    }
    mkdirSync(join(cacheDir(ctx), 'charts'), { recursive: true });
    const images = new Set(versionImages(ctx));
    for (const chart of charts) {
      if (!existsSync(cachedChartPath(ctx, chart))) {
        const r = await ctx.runner(helmPull(ctx, chart));
        if (r.code !== 0) {
          failures.push(`chart ${chart}: ${r.stderr.trim()}`);
          continue;
        }
      }
      const valuesFile = join(labDir(ctx), 'values', `${chart}.json`);
      mkdirSync(join(labDir(ctx), 'values'), { recursive: true });
      writeFileSync(valuesFile, JSON.stringify(chartValues(chart, ctx.versions, ctx.platform, ctx.env), null, 2));
      const rendered = await ctx.runner(helmTemplate(ctx.platform, ctx.versions, chart, relative(ctx.root, cachedChartPath(ctx, chart)), relative(ctx.root, valuesFile)));
      if (rendered.code !== 0) failures.push(`helm template ${chart}: ${rendered.stderr.trim()}`);
      else for (const use of imagesOfRendered(renderedObjects(rendered.stdout))) images.add(use.image);
    }
    say(`이미지 ${images.size}개를 미러에 채웁니다(${arches.join(', ')}):`, `Filling the mirrors with ${images.size} images (${arches.join(', ')}):`);
    for (const image of [...images].sort()) {
      const route = prefetchRoute(ctx, image);
      if (!('url' in route)) {
        console.log(`  - ${image}: ${t(L(`미러를 거치지 않습니다 — ${route.skip}`, `not through a mirror — ${route.skip}`), lang)}`);
        continue;
      }
      try {
        const r = await pullThrough(route.url, parseImageRef(image), arches);
        console.log(`  ✓ ${image}: ${r.blobs} blobs, ${(r.bytes / 1024 ** 2).toFixed(0)} MiB`);
      } catch (error) {
        failures.push(`${image}: ${(error as Error).message}`);
        console.log(`  ✗ ${image}: ${(error as Error).message}`);
      }
    }
    const crds = join(cacheDir(ctx), `gateway-api-${ctx.versions.gatewayApi.version}-standard-install.yaml`);
    if (!existsSync(crds)) await download(gatewayApiInstallUrl(ctx.versions), crds).catch((e) => failures.push(`Gateway API CRDs: ${(e as Error).message}`));
    for (const arch of arches) {
      const file = pluginCachePath({ ...ctx, arch });
      if (!existsSync(file)) await download(rolloutsPluginUrl(arch, ctx.versions), file).catch((e) => failures.push(`Rollouts plugin ${arch}: ${(e as Error).message}`));
    }
    for (const image of [ctx.versions.kind.nodeImage, ctx.versions.images.registry]) {
      const r = await ctx.runner({ cmd: 'docker', args: ['pull', image] });
      if (r.code !== 0) failures.push(`docker pull ${image}: ${r.stderr.trim()}`);
    }
  } catch (error) {
    throw asLabError(error);
  }
  if (values.share) say('\n이 머신의 미러를 방 전체가 쓸 수 있습니다. 학습자는: LAB_MIRROR_HOST=<이 머신의 주소> npm run up', "\nThe room can use this machine's mirrors. Each learner runs: LAB_MIRROR_HOST=<this machine's address> npm run up");
  if (failures.length) {
    say(`\n받지 못한 것 ${failures.length}개:`, `\n${failures.length} things could not be fetched:`);
    for (const f of failures) console.log(`  ✗ ${f}`);
    return 1;
  }
  say('\n완료: 이제 npm run up은 이 캐시에서 받습니다.', '\nDone: npm run up now pulls from these caches.');
  return 0;
}

if (process.argv[1]?.endsWith('scripts/prefetch.ts')) await runMain(() => main());
