/**
 * Component `images`: the sample app's images (hello-app:v1, :v2, :v3) built from labs/app and
 * pushed to the local registry, labelled with a hash of their sources so that an unchanged app is not
 * rebuilt. The versions are APP_VERSIONS: a new one is built by adding it there. v3 is the bad release
 * of the failure drills (s6-rollback, l4-rollouts-analysis): the same code, whose faults those labs'
 * manifests switch on through its environment.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { L } from '../../../../src/i18n.js';
import { sourceHash } from '../../content-hash.js';
import type { UpContext } from '../context.js';
import { cmd, type Step } from '../plan.js';

/** The image label that records what an image was built from (the app's source hash, the agent's tag). */
export const IMAGE_SOURCE_LABEL = 'org.cicd-lab.source';
/** The versions of hello-app `up` builds, each with APP_VERSION=<version> (the image bakes it in). */
export const APP_VERSIONS = ['v1', 'v2', 'v3'];
const appDir = (ctx: UpContext) => join(ctx.root, 'labs', 'app');

/** "v1, v2", and "hello-app:v1 and :v2" (English joins the last with "and"). */
const versionList = () => APP_VERSIONS.join(', ');
const tagList = () => {
  const tags = APP_VERSIONS.map((v) => `:${v}`);
  return tags.length > 1 ? `${tags.slice(0, -1).join(', ')} and ${tags.at(-1)}` : tags.join('');
};

export function imagesSteps(): Step[] {
  return [
    {
      id: 'images',
      component: 'images',
      title: L(`hello-app:${versionList()} 빌드와 푸시`, `Build and push hello-app${tagList()}`),
      async observe(ctx) {
        if (!existsSync(join(appDir(ctx), 'Dockerfile'))) return { done: true, reason: 'labs/app/Dockerfile does not exist yet: nothing to build' };
        const hash = sourceHash(appDir(ctx));
        const stale: string[] = [];
        for (const v of APP_VERSIONS) if ((await ctx.machine.imageLabel('hello-app', v, IMAGE_SOURCE_LABEL)) !== hash) stale.push(v);
        return stale.length ? { done: false, reason: `hello-app ${stale.join(', ')} missing or built from other sources than labs/app now` } : { done: true, reason: `hello-app ${versionList()} built from labs/app as it is (${hash})` };
      },
      actions(ctx) {
        const hash = existsSync(appDir(ctx)) ? sourceHash(appDir(ctx)) : 'unknown';
        return APP_VERSIONS.flatMap((v) => {
          const ref = `${ctx.platform.registry.host}/hello-app:${v}`;
          return [
            cmd({ cmd: 'docker', args: ['build', '--build-arg', `APP_VERSION=${v}`, '--label', `${IMAGE_SOURCE_LABEL}=${hash}`, '-t', ref, 'labs/app'] }),
            cmd({ cmd: 'docker', args: ['push', ref] }),
          ];
        });
      },
    },
  ];
}
