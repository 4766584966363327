/**
 * Component `cluster`: the kind cluster, the registry and mirrors on its network, the node's
 * containerd registry configuration and the local-registry-hosting ConfigMap. Each component makes
 * its own namespaces (kubectl.ts `namespaceStep`).
 */
import { L } from '../../../../src/i18n.js';
import { shellLine, type Cmd } from '../../exec.js';
import type { UpContext } from '../context.js';
import { applyText, kubectl } from '../kubectl.js';
import { localMirrors } from '../mirrors.js';
import { cmd, task, type Step } from '../plan.js';
import { registryHostingConfigMap } from '../renderers/cluster-objects.js';
import { containerdHosts, hostsTomlPath } from '../renderers/containerd-hosts.js';

export function clusterSteps(): Step[] {
  return [
    {
      id: 'cluster',
      component: 'cluster',
      title: L('kind 클러스터 cicd-lab', 'kind cluster cicd-lab'),
      async observe(ctx) {
        if (!(await ctx.machine.clusterExists(ctx.platform.cluster))) return { done: false, reason: `no kind cluster ${ctx.platform.cluster}` };
        if (!(await ctx.machine.contextExists(ctx.context))) return { done: false, reason: `cluster exists but the kubeconfig has no context ${ctx.context}` };
        return { done: true, reason: `cluster ${ctx.platform.cluster} exists` };
      },
      actions(ctx) {
        return [
          task(`${shellLine(kindCreate(ctx))} (or, when the cluster exists, kind export kubeconfig --name ${ctx.platform.cluster})`, async (c) => {
            const exists = await c.machine.clusterExists(c.platform.cluster);
            const r = await c.runner(exists ? { cmd: 'kind', args: ['export', 'kubeconfig', '--name', c.platform.cluster] } : kindCreate(c));
            if (r.code !== 0) throw new Error(`kind failed: ${r.stderr}`);
          }),
        ];
      },
      ready: (ctx) => [cmd(kubectl(ctx, 'wait', '--for=condition=Ready', 'node', '--all', '--timeout=180s'))],
    },
    {
      id: 'network',
      component: 'cluster',
      title: L('레지스트리와 미러를 kind 네트워크에 연결', 'Registry and mirrors on the kind network'),
      async observe(ctx) {
        const missing: string[] = [];
        for (const name of networkedContainers(ctx)) {
          const c = await ctx.machine.container(name);
          if (!c?.networks.includes(ctx.platform.registryContainer.network)) missing.push(name);
        }
        return missing.length ? { done: false, reason: `not on network ${ctx.platform.registryContainer.network}: ${missing.join(', ')}` } : { done: true, reason: 'all connected' };
      },
      actions(ctx) {
        return [
          task(`docker network connect ${ctx.platform.registryContainer.network} <container> for ${networkedContainers(ctx).join(', ')} (those not connected yet)`, async (c) => {
            for (const name of networkedContainers(c)) {
              const state = await c.machine.container(name);
              if (state && !state.networks.includes(c.platform.registryContainer.network)) {
                const r = await c.runner({ cmd: 'docker', args: ['network', 'connect', c.platform.registryContainer.network, name] });
                if (r.code !== 0) throw new Error(`docker network connect failed: ${r.stderr}`);
              }
            }
          }),
        ];
      },
    },
    {
      id: 'containerd',
      component: 'cluster',
      title: L('노드의 containerd 레지스트리 설정(hosts.toml)', "The node's containerd registry config (hosts.toml)"),
      async observe(ctx) {
        const stale: string[] = [];
        for (const h of containerdHosts(ctx.platform, ctx.env)) if ((await ctx.machine.nodeFile(ctx.platform.kind.node, hostsTomlPath(h.name))) !== h.toml) stale.push(h.name);
        return stale.length ? { done: false, reason: `missing or different: ${stale.join(', ')}` } : { done: true, reason: 'every registry name is configured' };
      },
      actions(ctx) {
        return containerdHosts(ctx.platform, ctx.env).map((h) =>
          cmd({ cmd: 'docker', args: ['exec', '-i', ctx.platform.kind.node, 'sh', '-c', `mkdir -p /etc/containerd/certs.d/${h.name} && cat > ${hostsTomlPath(h.name)}`], input: h.toml, inputLabel: `hosts.toml for ${h.name}` }),
        );
      },
    },
    {
      id: 'registry-hosting',
      component: 'cluster',
      title: L('local-registry-hosting ConfigMap', 'The local-registry-hosting ConfigMap'),
      async observe(ctx) {
        return (await ctx.machine.inSync({ text: JSON.stringify(registryHostingConfigMap(ctx.platform)) })) ? { done: true, reason: 'applied' } : { done: false, reason: 'not applied or different' };
      },
      actions: (ctx) => [cmd(applyText(ctx, JSON.stringify(registryHostingConfigMap(ctx.platform)), 'ConfigMap kube-public/local-registry-hosting'))],
    },
  ];
}

/** The containers the node reaches by name on the kind network: the registry, and the local mirrors. */
function networkedContainers(ctx: UpContext): string[] {
  return [ctx.platform.registryContainer.name, ...(localMirrors(ctx.env) ? ctx.platform.mirrors.map((m) => m.container) : [])];
}

export function kindCreate(ctx: UpContext): Cmd {
  return { cmd: 'kind', args: ['create', 'cluster', '--name', ctx.platform.cluster, '--image', ctx.versions.kind.nodeImage, '--config', ctx.platform.kind.config, '--wait', '120s'] };
}
