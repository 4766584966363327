/**
 * Component `rollouts`: the Gateway API traffic-router plugin's binary put on the node (the controller
 * loads it from there: platform/values/argo-rollouts.yaml mounts the folder), and Argo Rollouts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { L } from '../../../../src/i18n.js';
import { fileSha256 } from '../../content-hash.js';
import { download } from '../../download.js';
import type { Cmd } from '../../exec.js';
import { pluginFileName, rolloutsPluginUrl } from '../../versions.js';
import { cacheDir, type UpContext } from '../context.js';
import { helmStep } from '../helm.js';
import { namespaceStep, rollout } from '../kubectl.js';
import { task, type Step } from '../plan.js';

/** Where the Rollouts plugin binary lives on the kind node (platform/values/argo-rollouts.yaml mounts it into the controller). */
export const PLUGIN_DIR_ON_NODE = '/opt/cicd-lab/rollouts-plugins';

/** The plugin binary for the node's architecture, downloaded once into .lab/cache. */
export const pluginCachePath = (ctx: Pick<UpContext, 'root' | 'versions' | 'arch'>) => join(cacheDir(ctx), 'rollouts', `${pluginFileName(ctx.versions)}-linux-${ctx.arch}`);

export function rolloutsSteps(): Step[] {
  return [
    namespaceStep('rollouts'),
    {
      id: 'rollouts-plugin',
      component: 'rollouts',
      title: L('Rollouts Gateway API 플러그인 바이너리(노드에)', 'Rollouts Gateway API plugin binary (on the node)'),
      async observe(ctx) {
        const cached = pluginCachePath(ctx);
        const onNode = await ctx.machine.nodeFile(ctx.platform.kind.node, `${PLUGIN_DIR_ON_NODE}/${pluginFileName(ctx.versions)}.sha256`);
        if (!onNode) return { done: false, reason: `${pluginFileName(ctx.versions)} is not on the node` };
        if (existsSync(cached) && onNode.trim() !== fileSha256(cached)) return { done: false, reason: 'the node has another build of the plugin' };
        return { done: true, reason: `${pluginFileName(ctx.versions)} (linux/${ctx.arch}) on the node` };
      },
      actions: (ctx) => [task(`download ${rolloutsPluginUrl(ctx.arch, ctx.versions)} into .lab/cache (unless there), copy it into ${ctx.platform.kind.node}:${PLUGIN_DIR_ON_NODE}`, installPlugin)],
    },
    helmStep('rollouts', 'rollouts', L('Argo Rollouts + Gateway API 플러그인', 'Argo Rollouts + Gateway API plugin'), 'argo-rollouts', 'rollouts', (ctx) => [
      rollout(ctx, ctx.platform.releases.rollouts.namespace, `deployment/${ctx.platform.releases.rollouts.name}`, 300),
    ]),
  ];
}

async function installPlugin(ctx: UpContext): Promise<void> {
  const cached = pluginCachePath(ctx);
  if (!existsSync(cached)) await download(rolloutsPluginUrl(ctx.arch, ctx.versions), cached);
  const node = ctx.platform.kind.node;
  const target = `${PLUGIN_DIR_ON_NODE}/${pluginFileName(ctx.versions)}`;
  const steps: Cmd[] = [
    { cmd: 'docker', args: ['exec', node, 'mkdir', '-p', PLUGIN_DIR_ON_NODE] },
    { cmd: 'docker', args: ['cp', cached, `${node}:${target}`] },
    { cmd: 'docker', args: ['exec', node, 'chmod', '0755', target] },
    { cmd: 'docker', args: ['exec', '-i', node, 'sh', '-c', `cat > ${target}.sha256`], input: `${fileSha256(cached)}\n` },
  ];
  for (const c of steps) {
    const r = await ctx.runner(c);
    if (r.code !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} failed: ${r.stderr}`);
  }
}
