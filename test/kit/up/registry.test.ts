/** Component `registry` of `npm run up` (scripts/lib/up/components/registry.ts): the registry container and the pull-through mirrors. */
import { describe, expect, it } from 'vitest';
import { shellLine } from '../../../scripts/lib/exec.js';
import { platformFull } from '../../../scripts/lib/platform.js';
import { mirrorRun } from '../../../scripts/lib/up/components/registry.js';
import { mirrorBind, saveMirrorBind } from '../../../scripts/lib/up/mirrors.js';
import { converge, plan } from '../../../scripts/lib/up/plan.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { actionLines, convergedState, fakeContext, FakeMachine, freshState, stepOf, testCredentials, todo } from '../../lib/fake-platform.js';

const creds = testCredentials();

describe('the local registry', () => {
  it('runs the pinned registry image, published on 127.0.0.1:5001 only, its storage in a volume', async () => {
    const { ctx } = fakeContext(freshState());
    const lines = actionLines(await plan(upSteps(['registry']), ctx)).join('\n');
    expect(lines).toContain(`docker run -d --restart=always --name kind-registry -p 127.0.0.1:5001:5000 -v cicd-lab-registry:/var/lib/registry ${versions.images.registry}`);
  });
});

describe('the mirrors converge on the address they should be published on, not on existing', () => {
  const mirror = platformFull.mirrors[0];

  it('prefetch --share re-creates the mirrors an earlier up published on 127.0.0.1, keeping their caches and network', async () => {
    creds.install();
    const loopback = fakeContext(freshState());
    const state = convergedState(loopback.ctx);
    expect(state.containers[mirror.container].ports).toEqual([`127.0.0.1:${mirror.port}`]);
    const { ctx, runner } = fakeContext(state, { env: { LAB_MIRROR_BIND: '0.0.0.0' } });
    ctx.machine = new FakeMachine(state);
    const planned = await plan(upSteps(), ctx);
    expect(todo(planned)).toEqual(['mirrors']);
    expect(stepOf(planned, 'mirrors').observation.reason).toContain(`${mirror.container} is published on 127.0.0.1:${mirror.port}, wanted 0.0.0.0:${mirror.port}`);
    await converge(upSteps().filter((s) => s.id === 'mirrors'), ctx);
    const lines = runner.calls.map(shellLine).filter((l) => l.includes(mirror.container));
    expect(lines).toEqual([
      `docker rm -f ${mirror.container}`,
      expect.stringMatching(new RegExp(`^docker run -d --restart=always --name ${mirror.container} -p 0\\.0\\.0\\.0:${mirror.port}:5000 -v cicd-lab-${mirror.container}:/var/lib/registry `)),
      `docker network connect kind ${mirror.container}`,
    ]);
  });

  it('a later up keeps what prefetch chose (.lab/mirrors.json), and puts a stopped mirror back with docker start', async () => {
    creds.install();
    const { ctx, runner } = fakeContext(freshState());
    saveMirrorBind(ctx, '0.0.0.0');
    expect(mirrorBind(ctx)).toBe('0.0.0.0');
    expect(mirrorBind({ ...ctx, env: { LAB_MIRROR_BIND: '127.0.0.1' } })).toBe('127.0.0.1');
    const state = convergedState(ctx);
    ctx.machine = new FakeMachine(state);
    expect(todo(await plan(upSteps(), ctx))).toEqual([]);
    state.containers[mirror.container] = { ...state.containers[mirror.container], running: false };
    await converge(upSteps().filter((s) => s.id === 'mirrors'), ctx);
    expect(runner.calls.map(shellLine).filter((l) => l.includes(mirror.container))).toEqual([`docker start ${mirror.container}`]);
  });

  it('passes a Docker Hub token to the docker.io mirror through the environment, and never prints it', async () => {
    const { ctx } = fakeContext(freshState(), { env: { LAB_DOCKERHUB_USER: 'learner', LAB_DOCKERHUB_TOKEN: 'dckr_secret' } });
    const text = actionLines(await plan(upSteps(['registry']), ctx)).join('\n');
    expect(text).toContain('REGISTRY_PROXY_PASSWORD="$LAB_DOCKERHUB_TOKEN" docker run -d --restart=always --name kind-mirror-docker-io ');
    expect(text).toContain('-e REGISTRY_PROXY_USERNAME=learner -e REGISTRY_PROXY_PASSWORD ');
    expect(text).not.toContain('dckr_secret');
    // The command still gets it, from its environment.
    const run = mirrorRun(ctx, platformFull.mirrors.find((m) => m.upstream === 'docker.io')!);
    expect(run.env).toEqual({ REGISTRY_PROXY_PASSWORD: 'dckr_secret' });
    expect(run.args).not.toContain('dckr_secret');
  });
});
