import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { liveRunner } from '../../scripts/lib/exec.js';
import { clusterKubernetesVersion, gatewayApiInstallUrl, parseVersion, readVersions, rolloutsPluginUrl, versions } from '../../scripts/lib/versions.js';
import { toolDownloads } from '../../scripts/tools.js';
import { repositoryFiles } from '../lib/repository-files.js';
import { strayVersions } from '../lib/version-scan.js';

// versions.json itself, and npm's own manifests (npm pins its packages there and nowhere else).
const EXEMPT = new Set(['versions.json', 'package.json', 'package-lock.json']);

describe('versions.json is the only place a version appears', () => {
  it('no other file of the repository pins a version (a file that cannot read JSON may copy one exactly)', () => {
    const strays = repositoryFiles()
      .filter((f) => !EXEMPT.has(f))
      .flatMap((f) => strayVersions(f, readFileSync(join(ROOT, f), 'utf8'), versions))
      .map((s) => `${s.path}:${s.line}: ${s.match} (${s.pattern})`);
    expect(strays).toEqual([]);
  });

  it('flags stray pins in code and docs, and stale copies in files that cannot read JSON', () => {
    // Samples are assembled here so that this file itself carries no pin for the scan above.
    const $ = (...parts: string[]) => parts.join('');
    const flagged = (path: string, text: string) => strayVersions(path, text, versions).map((s) => s.match);
    const node = $('node:', '24.15', '.0-alpine');
    expect(flagged('scripts/x.ts', `const image = '${node}';`)).toEqual([node]);
    expect(flagged('scripts/x.ts', $('helm install x --ver', 'sion 2.6.5'))).toEqual([$('--ver', 'sion 2.6.5')]);
    expect(flagged('docs/x.md', $('Install Argo Rollouts v1', '.9.1 first.'))).toEqual([$('v1', '.9.1')]);
    const plugin = `kubernetes:${versions.jenkinsPlugins.kubernetes}`;
    expect(flagged('platform/values/x.yaml', `  - ${plugin}`)).toEqual([]);
    expect(flagged('scripts/x.ts', `  - ${plugin}`)).toEqual([plugin]);
    expect(flagged('platform/values/x.yaml', $('  - kubernetes:44', '00.vdeadbeef'))).toEqual([$('kubernetes:44', '00.vdeadbeef')]);
    expect(flagged('labs/app/Dockerfile', $('FROM node:22', '.1.0-alpine'))).toEqual([$('node:22', '.1.0-alpine')]);
    expect(flagged('labs/app/Dockerfile', `FROM ${versions.images['app-base']}`)).toEqual([]);
    expect(flagged('src/x.ts', `const d = 'sha256:${'a'.repeat(64)}';`)).toEqual([`sha256:${'a'.repeat(64)}`]);
    expect(flagged('scripts/x.ts', $('kubectl apply -k github.com/x/y/config?ref=v2', '.7.0'))).toEqual([$('?ref=v2', '.7.0')]);
  });

  it('does not flag ordinary numbers: ports, addresses, times, minimum Node versions, durations', () => {
    const text = [
      'the gateway listens on 127.0.0.1:8080 and the registry on localhost:5001',
      'capturedAt: "2026-11-26T12:00:00Z", replicas: 2, weight 80/20',
      'gradedAt: "2026-11-26T09:55:00.000Z" (milliseconds too)',
      'Node 20.19 or newer; section 1.2.3 of the guide; wait 1.5 s',
      'apiVersion: apps/v1, image: kind-registry:5000/hello-app:v2, tag l2-7',
    ].join('\n');
    expect(strayVersions('scripts/x.ts', text, versions)).toEqual([]);
  });

  it('resolves every templated URL to the pinned version', () => {
    expect(gatewayApiInstallUrl()).toBe(`https://github.com/kubernetes-sigs/gateway-api/releases/download/${versions.gatewayApi.version}/standard-install.yaml`);
    expect(rolloutsPluginUrl('arm64')).toMatch(new RegExp(`/${versions.rolloutsPlugin.version}/gatewayapi-plugin-linux-arm64$`));
    expect(clusterKubernetesVersion()).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it('pins the kind node image by digest, and explains every pin it could not verify in notes', () => {
    expect(versions.kind.nodeImage).toMatch(/@sha256:[0-9a-f]{64}$/);
    const v = readVersions();
    for (const key of ['images.registry', 'charts.argo-cd', 'rolloutsPlugin', 'jenkinsPlugins']) expect(v.notes[key], key).toBeTruthy();
  });
});

describe('every kubectl that drives the lab cluster is within one minor of its API server (Kubernetes skew policy)', () => {
  const cluster = parseVersion(clusterKubernetesVersion())!;
  const minorsApart = (v: string) => {
    const seen = parseVersion(v)!;
    return seen[0] !== cluster[0] ? Infinity : Math.abs(seen[1] - cluster[1]);
  };

  it('npm run tools installs kubectl at the cluster\'s own version', () => {
    const kubectl = toolDownloads('linux', 'amd64').find((d) => d.name === 'kubectl')!;
    expect(kubectl.version).toBe(clusterKubernetesVersion());
  });

  it('the build pods\' tools image, and the lab-agent image that copies its kubectl, ship one within a minor', () => {
    const containerfile = readFileSync(join(ROOT, 'platform/jenkins/agent/Containerfile'), 'utf8');
    expect(containerfile).toMatch(/^COPY --from=tools \/usr\/local\/bin\/kubectl /m);
    const shipped = versions.bundled?.['images.tools']?.kubectl;
    expect(shipped, 'versions.json bundled["images.tools"].kubectl: what images.tools ships').toBeTruthy();
    expect(minorsApart(shipped!), `${versions.images.tools} ships kubectl ${shipped}, the cluster runs ${clusterKubernetesVersion()}`).toBeLessThanOrEqual(1);
  });

  it('the integration tier\'s K3s runs the cluster\'s minor, so the kubectl npm run tools installs drives it within one', () => {
    const tag = versions.images.k3s.split(':').pop()!;
    expect(minorsApart(tag), `${versions.images.k3s}; the integration job's kubectl is ${clusterKubernetesVersion()}`).toBeLessThanOrEqual(1);
  });

  it('up, lab and the solution scripts run the kubectl on the user\'s PATH, never the test-only .ci/bin one', async () => {
    const r = await liveRunner({ cmd: process.execPath, args: ['-e', 'process.stdout.write(process.env.PATH)'] });
    // (.ci/run's binaries are kubectl 1.34: three minors from the cluster. Before, this PATH had them first.)
    expect(r.stdout).toBe(process.env.PATH);
  });
});
