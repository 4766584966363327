/** Component `cluster` of `npm run up` (scripts/lib/up/components/cluster.ts): the kind cluster and the node's registry configuration. */
import { describe, expect, it } from 'vitest';
import { platformFull } from '../../../scripts/lib/platform.js';
import { plan } from '../../../scripts/lib/up/plan.js';
import { containerdHosts } from '../../../scripts/lib/up/renderers/containerd-hosts.js';
import { upSteps } from '../../../scripts/lib/up/steps.js';
import { versions } from '../../../scripts/lib/versions.js';
import { actionLines, fakeContext, freshState, stepOf, testCredentials } from '../../lib/fake-platform.js';

testCredentials();

describe('the kind cluster', () => {
  it('is created with the node image pinned in versions.json and the kind config of platform/', async () => {
    const { ctx } = fakeContext(freshState());
    const lines = actionLines(await plan(upSteps(['cluster']), ctx)).join('\n');
    expect(lines).toContain(`kind create cluster --name cicd-lab --image ${versions.kind.nodeImage} --config platform/kind/cluster.yaml --wait 120s`);
  });

  it('connects the registry and the local mirrors to the kind network, and only the registry when the mirrors are shared or off', async () => {
    const reason = async (env: NodeJS.ProcessEnv) => stepOf(await plan(upSteps(['cluster']), fakeContext(freshState(), { env }).ctx), 'network').observation.reason;
    expect(await reason({})).toBe(`not on network kind: kind-registry, ${platformFull.mirrors.map((m) => m.container).join(', ')}`);
    expect(await reason({ LAB_MIRROR_HOST: '10.0.0.5' })).toBe('not on network kind: kind-registry');
    expect(await reason({ LAB_MIRRORS: 'off' })).toBe('not on network kind: kind-registry');
  });
});

describe('the node\'s registry configuration', () => {
  it('makes kind-registry:5000 work for pulls over HTTP and localhost:5001 point at the same registry', () => {
    const hosts = Object.fromEntries(containerdHosts(platformFull, {}).map((h) => [h.name, h.toml]));
    expect(hosts['kind-registry:5000']).toContain('server = "http://kind-registry:5000"');
    expect(hosts['localhost:5001']).toContain('[host."http://kind-registry:5000"]');
    expect(hosts['docker.io']).toContain('[host."http://kind-mirror-docker-io:5000"]');
    expect(hosts['docker.io']).toContain('server = "https://registry-1.docker.io"');
  });

  it('points the mirrors at the room\'s shared machine with LAB_MIRROR_HOST, and drops them with LAB_MIRRORS=off', () => {
    const shared = Object.fromEntries(containerdHosts(platformFull, { LAB_MIRROR_HOST: '10.0.0.5' }).map((h) => [h.name, h.toml]));
    expect(shared['quay.io']).toContain('[host."http://10.0.0.5:5103"]');
    expect(containerdHosts(platformFull, { LAB_MIRRORS: 'off' }).map((h) => h.name)).toEqual(['localhost:5001', 'kind-registry:5000']);
  });
});
