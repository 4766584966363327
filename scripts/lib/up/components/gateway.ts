/**
 * Component `gateway`: the Gateway API CRDs, NGINX Gateway Fabric, the Gateway `lab` on *.localhost
 * and, in a GitHub Codespace, the proxy that gives each host a forwarded port of its own
 * (scripts/lib/codespaces.ts). The platform hosts' HTTPRoutes belong to their components
 * (platform/manifests/routes/).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { L } from '../../../../src/i18n.js';
import { codespace, PROXY_LABEL, proxyHash, proxyRun } from '../../codespaces.js';
import { must, shellLine } from '../../exec.js';
import { gatewayApiInstallUrl } from '../../versions.js';
import { cacheDir } from '../context.js';
import { helmStep } from '../helm.js';
import { applyFile, kubectl, manifestStep, namespaceStep, rollout } from '../kubectl.js';
import { cmd, task, type Step } from '../plan.js';

export function gatewaySteps(): Step[] {
  return [
    {
      id: 'gateway-api',
      component: 'gateway',
      title: L('Gateway API CRD', 'Gateway API CRDs'),
      async observe(ctx) {
        const found = await ctx.machine.gatewayApiVersion();
        return found === ctx.versions.gatewayApi.version ? { done: true, reason: `Gateway API ${found} installed` } : { done: false, reason: found ? `Gateway API ${found} installed, pinned ${ctx.versions.gatewayApi.version}` : 'no Gateway API CRDs' };
      },
      actions(ctx) {
        const cached = join(cacheDir(ctx), `gateway-api-${ctx.versions.gatewayApi.version}-standard-install.yaml`);
        return [cmd(applyFile(ctx, existsSync(cached) ? relative(ctx.root, cached) : gatewayApiInstallUrl(ctx.versions)))];
      },
      ready: (ctx) => [cmd(kubectl(ctx, 'wait', '--for=condition=Established', 'crd/httproutes.gateway.networking.k8s.io', 'crd/gateways.gateway.networking.k8s.io', '--timeout=60s'))],
    },
    namespaceStep('gateway'),
    helmStep('gateway-controller', 'gateway', L('NGINX Gateway Fabric', 'NGINX Gateway Fabric'), 'nginx-gateway-fabric', 'gatewayController', (ctx) => [
      rollout(ctx, ctx.platform.releases.gatewayController.namespace, `deployment/${ctx.platform.releases.gatewayController.name}-nginx-gateway-fabric`, 300),
    ]),
    manifestStep('gateway', 'gateway', L('Gateway lab(*.localhost, 127.0.0.1:8080)', 'Gateway lab (*.localhost on 127.0.0.1:8080)'), 'platform/manifests/gateway.yaml', (ctx) => [
      kubectl(ctx, '-n', ctx.platform.gateway.namespace, 'wait', '--for=condition=Programmed', `gateway/${ctx.platform.gateway.name}`, '--timeout=300s'),
    ]),
    {
      id: 'codespaces-proxy',
      component: 'gateway',
      title: L('Codespaces: 호스트마다 포트 하나(프록시)', 'Codespaces: one port per host (proxy)'),
      async observe(ctx) {
        if (!codespace(ctx.env)) return { done: true, reason: 'not in a GitHub Codespace: browsers use *.localhost' };
        const name = ctx.platform.codespaces.proxy;
        const c = await ctx.machine.container(name);
        if (!c) return { done: false, reason: `no container ${name}` };
        if (c.labels?.[PROXY_LABEL] !== proxyHash(ctx.platform, ctx.env, ctx.versions.images['app-base'], ctx.root)) return { done: false, reason: `${name} was made for other routes or another proxy` };
        return c.running ? { done: true, reason: `${name} is running` } : { done: false, reason: `${name} is stopped` };
      },
      actions(ctx) {
        const run = proxyRun(ctx.platform, ctx.env, ctx.versions.images['app-base'], ctx.root);
        return [
          task(`docker rm -f ${ctx.platform.codespaces.proxy} (if there), then ${shellLine({ ...run, args: run.args.map((a) => (a.startsWith('PROXY_ROUTES=') ? 'PROXY_ROUTES=<the hosts and their ports>' : a)) })}`, async (c) => {
            if (await c.machine.container(c.platform.codespaces.proxy)) await must(c.runner, { cmd: 'docker', args: ['rm', '-f', c.platform.codespaces.proxy] });
            await must(c.runner, proxyRun(c.platform, c.env, c.versions.images['app-base'], c.root));
          }),
        ];
      },
    },
  ];
}
