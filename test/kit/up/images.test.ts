/** Component `images` of `npm run up` (scripts/lib/up/components/images.ts): hello-app built from labs/app, once per change. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceHash } from '../../../scripts/lib/content-hash.js';
import { APP_VERSIONS, IMAGE_SOURCE_LABEL } from '../../../scripts/lib/up/components/images.js';
import { describeAction, plan } from '../../../scripts/lib/up/plan.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { fakeContext, FakeMachine, freshState, stepOf, testCredentials } from '../../lib/fake-platform.js';

testCredentials();

/** A fake machine over a checkout whose labs/app holds these files. */
function withApp(files: Record<string, string>) {
  const made = fakeContext(freshState());
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(made.ctx.root, 'labs', 'app'), { recursive: true });
    writeFileSync(join(made.ctx.root, 'labs', 'app', name), text);
  }
  return made;
}

describe('the images of hello-app', () => {
  it('are built for every version with APP_VERSION and labelled with the hash of labs/app, then pushed', async () => {
    const { ctx } = withApp({ Dockerfile: 'FROM scratch\n' });
    const hash = sourceHash(join(ctx.root, 'labs', 'app'));
    expect(APP_VERSIONS).toEqual(['v1', 'v2', 'v3']);
    const step = stepOf(await plan(upSteps(['images']), ctx), 'images');
    expect(step.step.title).toEqual({ ko: 'hello-app:v1, v2, v3 빌드와 푸시', en: 'Build and push hello-app:v1, :v2 and :v3' });
    expect(step.actions.map(describeAction)).toEqual(
      APP_VERSIONS.flatMap((v) => [
        `$ docker build --build-arg APP_VERSION=${v} --label ${IMAGE_SOURCE_LABEL}=${hash} -t localhost:5001/hello-app:${v} labs/app`,
        `$ docker push localhost:5001/hello-app:${v}`,
      ]),
    );
  });

  it('are left alone when every version was built from labs/app as it is, and rebuilt when one was not', async () => {
    const { ctx } = withApp({ Dockerfile: 'FROM scratch\n', 'server.js': 'v1' });
    const hash = sourceHash(join(ctx.root, 'labs', 'app'));
    const state = freshState();
    state.imageLabels = { 'hello-app:v1': hash, 'hello-app:v2': hash, 'hello-app:v3': hash };
    ctx.machine = new FakeMachine(state);
    expect(stepOf(await plan(upSteps(['images']), ctx), 'images').observation).toEqual({ done: true, reason: `hello-app v1, v2, v3 built from labs/app as it is (${hash})` });

    state.imageLabels['hello-app:v2'] = 'some-older-hash';
    expect(stepOf(await plan(upSteps(['images']), ctx), 'images').observation).toEqual({ done: false, reason: 'hello-app v2 missing or built from other sources than labs/app now' });

    writeFileSync(join(ctx.root, 'labs', 'app', 'server.js'), 'changed');
    expect(sourceHash(join(ctx.root, 'labs', 'app'))).not.toBe(hash);
    expect(stepOf(await plan(upSteps(['images']), ctx), 'images').observation.reason).toBe('hello-app v1, v2, v3 missing or built from other sources than labs/app now');
  });
});
