/**
 * Component `registry`: the logins of this install, the local registry container (kind's
 * local-registry pattern) and the pull-through mirrors, each a container with its cache in a volume.
 */
import { L } from '../../../../src/i18n.js';
import { readCredentials } from '../../../../src/platform.js';
import { ensureCredentials } from '../../credentials.js';
import { must, shellLine, type Cmd } from '../../exec.js';
import type { Mirror } from '../../platform.js';
import type { UpContext } from '../context.js';
import type { ContainerState } from '../machine.js';
import { mirrorBind } from '../mirrors.js';
import { task, type Step } from '../plan.js';

export function registrySteps(): Step[] {
  return [
    {
      id: 'credentials',
      component: 'registry',
      title: L('로그인 정보 만들기(.lab/credentials.json, 모드 0600)', 'Generate the logins (.lab/credentials.json, mode 0600)'),
      async observe() {
        const c = readCredentials();
        return c.jenkins?.password && c.gitea?.password ? { done: true, reason: 'logins already generated for this install' } : { done: false, reason: 'no credentials file yet' };
      },
      actions: () => [task('generate random passwords for Jenkins and Gitea into .lab/credentials.json (mode 0600)', async () => void ensureCredentials())],
    },
    {
      id: 'registry',
      component: 'registry',
      title: L('로컬 레지스트리 컨테이너', 'Local registry container'),
      async observe(ctx) {
        const c = await ctx.machine.container(ctx.platform.registryContainer.name);
        if (!c) return { done: false, reason: `no container ${ctx.platform.registryContainer.name}` };
        return c.running ? { done: true, reason: `${ctx.platform.registryContainer.name} is running` } : { done: false, reason: `${ctx.platform.registryContainer.name} exists but is stopped` };
      },
      actions(ctx) {
        const name = ctx.platform.registryContainer.name;
        return [
          task(`docker start ${name} if it exists, else: ${shellLine(registryRun(ctx))}`, async (c) => {
            const existing = await c.machine.container(name);
            if (existing) return void (await c.runner({ cmd: 'docker', args: ['start', name] }));
            const r = await c.runner(registryRun(c));
            if (r.code !== 0) throw new Error(`docker run ${name} failed: ${r.stderr}`);
          }),
        ];
      },
    },
    {
      id: 'mirrors',
      component: 'registry',
      title: L('풀스루 미러(도커 허브 등 이미지를 한 번만 받기)', 'Pull-through mirrors (pull each image once)'),
      async observe(ctx) {
        if (ctx.env.LAB_MIRRORS === 'off') return { done: true, reason: 'mirrors are off (LAB_MIRRORS=off)' };
        if (ctx.env.LAB_MIRROR_HOST) return { done: true, reason: `the room's shared mirror ${ctx.env.LAB_MIRROR_HOST} is used (LAB_MIRROR_HOST)` };
        const wrong: string[] = [];
        for (const m of ctx.platform.mirrors) {
          const why = mirrorDrift(ctx, m, await ctx.machine.container(m.container));
          if (why) wrong.push(`${m.container} ${why}`);
        }
        return wrong.length ? { done: false, reason: wrong.join('; ') } : { done: true, reason: `every mirror is running on ${mirrorBind(ctx)}` };
      },
      actions(ctx) {
        return ctx.platform.mirrors.map((m) =>
          task(`${m.container}: docker start it, or (missing, or published elsewhere than ${mirrorBind(ctx)}) docker rm -f and ${shellLine(mirrorRun(ctx, m))}; its cache volume stays`, async (c) => {
            const existing = await c.machine.container(m.container);
            const why = mirrorDrift(c, m, existing);
            if (!why) return;
            if (existing && why === 'is stopped') return void (await must(c.runner, { cmd: 'docker', args: ['start', m.container] }));
            // A container's published address is fixed when it is created: a new binding needs a new
            // container (the cache lives in the volume, so nothing is pulled again).
            if (existing) await must(c.runner, { cmd: 'docker', args: ['rm', '-f', m.container] });
            await must(c.runner, mirrorRun(c, m));
            // It was on the kind network (cluster step): the node's containerd reaches it there.
            if (existing?.networks.includes(c.platform.registryContainer.network)) await must(c.runner, { cmd: 'docker', args: ['network', 'connect', c.platform.registryContainer.network, m.container] });
          }),
        );
      },
    },
  ];
}

export function registryRun(ctx: UpContext): Cmd {
  const p = ctx.platform;
  return {
    cmd: 'docker',
    args: ['run', '-d', '--restart=always', '--name', p.registryContainer.name, '-p', `127.0.0.1:${p.registry.host.split(':')[1]}:${p.registry.inCluster.split(':')[1]}`, '-v', 'cicd-lab-registry:/var/lib/registry', ctx.versions.images.registry],
  };
}

/** Why a mirror container is not as wanted (missing, stopped, published elsewhere), or undefined. */
export function mirrorDrift(ctx: UpContext, m: Mirror, c: ContainerState | undefined): string | undefined {
  if (!c) return 'is missing';
  const want = `${mirrorBind(ctx)}:${m.port}`;
  if (c.ports && !(c.ports.length === 1 && c.ports[0] === want)) return `is published on ${c.ports.join(', ') || 'no address'}, wanted ${want}`;
  return c.running ? undefined : 'is stopped';
}

export function mirrorRun(ctx: UpContext, m: Mirror): Cmd {
  const bind = mirrorBind(ctx);
  const auth = m.upstream === 'docker.io' && ctx.env.LAB_DOCKERHUB_USER && ctx.env.LAB_DOCKERHUB_TOKEN ? ['-e', `REGISTRY_PROXY_USERNAME=${ctx.env.LAB_DOCKERHUB_USER}`, '-e', 'REGISTRY_PROXY_PASSWORD'] : [];
  return {
    cmd: 'docker',
    args: ['run', '-d', '--restart=always', '--name', m.container, '-p', `${bind}:${m.port}:5000`, '-v', `cicd-lab-${m.container}:/var/lib/registry`, '-e', `REGISTRY_PROXY_REMOTEURL=${m.remote}`, ...auth, ctx.versions.images.registry],
    // The token is passed through the environment, never on the command line, and never printed.
    env: auth.length ? { REGISTRY_PROXY_PASSWORD: ctx.env.LAB_DOCKERHUB_TOKEN! } : undefined,
    envShown: auth.length ? { REGISTRY_PROXY_PASSWORD: '"$LAB_DOCKERHUB_TOKEN"' } : undefined,
  };
}
