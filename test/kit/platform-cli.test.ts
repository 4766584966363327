import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingRunner, shellLine } from '../../scripts/lib/exec.js';
import { imageRoute, imagesOfRendered, renderedObjects } from '../../scripts/lib/charts.js';
import { parseImageRef, pullThrough } from '../../scripts/lib/mirror.js';
import { platformFull } from '../../scripts/lib/platform.js';
import { gatherStatus, parseMemUsage, renderStatus, statusHealthy, type StatusFacts } from '../../scripts/lib/status.js';
import { L } from '../../src/i18n.js';
import { profileFile, writeInstalledProfile } from '../../scripts/lib/profiles.js';
import { downCommands, main as down } from '../../scripts/down.js';
import { checksumOf, installTool, toolDownloads, type ToolDownload } from '../../scripts/tools.js';
import { closedPort, startFakeHttp, type FakeHttp } from '../lib/fake-http.js';
import { versions } from '../../scripts/lib/versions.js';
import { cleanEnv, tsx } from '../lib/cli.js';
import { captureLog } from '../lib/capture.js';
import { tempDir } from '../lib/temp.js';

const GiB = 1024 ** 3;

describe('npm run status', () => {
  const facts = (over: Partial<StatusFacts> = {}): StatusFacts => ({
    components: [
      { id: 'registry', healthy: true, detail: 'GET /v2/ → 200', url: 'localhost:5001 · kind-registry:5000' },
      { id: 'jenkins', healthy: true, detail: '1 workloads ready; GET /login → 200', url: 'http://jenkins.localhost:8080', login: { user: 'admin', password: 'secret-j' } },
      { id: 'argocd', healthy: false, detail: 'not ready: deployment/argocd-server', url: 'http://argocd.localhost:8080', login: { user: 'admin' } },
    ],
    memory: { 'cicd-lab-control-plane': 3.5 * GiB, 'kind-registry': 0.05 * GiB },
    credentials: { path: '.lab/credentials.json', mode: 0o600 },
    ...over,
  });

  it('shows each component\'s health, address and login, the memory against the 5 GiB target, and what to do', () => {
    const text = renderStatus(facts(), 'en');
    expect(text).toMatch(/^component +health +address +login +detail$/m);
    expect(text).toMatch(/^jenkins +✓ +http:\/\/jenkins\.localhost:8080 +admin \/ secret-j +1 workloads ready/m);
    expect(text).toMatch(/^argocd +✗ +http:\/\/argocd\.localhost:8080 +admin \/ \(not yet\)/m);
    expect(text).toContain("Memory (docker stats): 3.55 GiB — full profile's target ≤ 5.00 GiB (cicd-lab-control-plane 3.50 GiB, kind-registry 0.05 GiB)");
    expect(text.split('\n')[0]).toBe('Profile: none recorded (an install from before profiles, or no up yet) — taken as full');
    expect(text).toContain('Logins file: .lab/credentials.json (mode 0600)');
    expect(text).toContain('Not healthy: argocd — `npm run up` converges them.');
    expect(statusHealthy(facts())).toBe(false);
  });

  it('says when the memory target is exceeded and when the credentials file is readable by others, in Korean too', () => {
    const text = renderStatus(facts({ memory: { 'cicd-lab-control-plane': 6 * GiB }, credentials: { path: '.lab/credentials.json', mode: 0o644 } }), 'ko');
    expect(text).toContain('메모리(docker stats): 6.00 GiB — full 프로필의 목표 5.00 GiB 이하를 넘었습니다');
    expect(text).toContain('로그인 파일: .lab/credentials.json (mode 0644)');
    expect(text).toContain('→ 본인만 읽게 하세요: chmod 600 .lab/credentials.json');
  });

  it('shows the installed profile, its components as not installed rather than unhealthy, and the memory against its figure', async () => {
    // Gathered on a strategies install: Gitea, Jenkins, Argo CD and Rollouts are not even asked about.
    const runner = recordingRunner((c) => (c.cmd === 'docker' && c.args[0] === 'info' ? { code: 0, stdout: '28.0.0', stderr: '' } : c.cmd === 'kubectl' ? { code: 0, stdout: '{"items":[]}', stderr: '' } : undefined));
    const gathered = await gatherStatus(runner, platformFull, { LAB_GATEWAY_PORT: String(await closedPort()), LAB_REGISTRY_URL: `http://127.0.0.1:${await closedPort()}` }, () => 'strategies');
    expect(gathered.profile).toBe('strategies');
    expect(gathered.components.filter((c) => c.absent).map((c) => c.id)).toEqual(['gitea', 'jenkins', 'argocd', 'rollouts']);
    const asked = runner.calls.map((c) => c.args.join(' '));
    for (const ns of ['gitea', 'jenkins', 'argocd', 'argo-rollouts']) expect(asked.some((a) => a.includes(`-n ${ns} `))).toBe(false);

    const s = facts({
      profile: 'strategies',
      components: [
        { id: 'registry', healthy: true, detail: 'GET /v2/ → 200' },
        { id: 'jenkins', healthy: false, absent: true, detail: L('strategies 프로필에 없음', 'not in the strategies profile (npm run up -- --profile full adds it)') },
      ],
      memory: { 'cicd-lab-control-plane': 2.5 * GiB },
    });
    const text = renderStatus(s, 'en');
    expect(text.split('\n')[0]).toBe('Profile: strategies — registry, cluster, gateway, images (the strategy labs s1–s6 (no Gitea, Jenkins, Argo CD or Rollouts))');
    expect(text).toMatch(/^jenkins +– +not in the strategies profile/m);
    expect(text).toContain("Memory (docker stats): 2.50 GiB — strategies profile's target ≤ 2.00 GiB, exceeded");
    expect(text).not.toContain('Not healthy');
    expect(statusHealthy(s)).toBe(true);
  });

  it('reads docker stats memory in every unit it prints', () => {
    expect(parseMemUsage('1.5GiB / 15.6GiB')).toBe(1.5 * GiB);
    expect(parseMemUsage('512MiB / 8GiB')).toBe(512 * 1024 ** 2);
    expect(parseMemUsage('900kB / 1GB')).toBe(900e3);
    expect(parseMemUsage('--')).toBeUndefined();
  });

  it('without Docker, exits 1 saying so; and refuses a context that is not the lab\'s', async () => {
    const r = await tsx('scripts/status.ts', [], cleanEnv());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^docker +✗ +Docker is not reachable \(npm run doctor\)$/m);
    const { main: status } = await import('../../scripts/status.js');
    await expect(status(['--context', 'gke_prod'], cleanEnv())).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("works on the lab's own cluster only") });
  });
});

describe('npm run down', () => {
  it('deletes the cluster, the registry and the mirrors; keeps the mirror caches unless --purge', () => {
    expect(downCommands(platformFull, false).map(shellLine)).toEqual([
      'kind delete cluster --name cicd-lab',
      `docker rm -f -v kind-registry ${platformFull.mirrors.map((m) => m.container).join(' ')} ${platformFull.codespaces.proxy}`,
      'docker volume rm -f cicd-lab-registry',
    ]);
    expect(downCommands(platformFull, true).map(shellLine).at(-1)).toBe(`docker volume rm -f ${platformFull.mirrors.map((m) => `cicd-lab-${m.container}`).join(' ')}`);
  });

  it('asks first: without a terminal and without --yes it deletes nothing', async () => {
    const runner = recordingRunner();
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    const error = await down([], cleanEnv(), runner, stdin).catch((e) => e);
    expect(error.message).toBe('No terminal to ask: add --yes to delete: npm run down -- --yes');
    expect(runner.calls).toEqual([]);
  });

  it('on a terminal, "n" deletes nothing and "y" deletes', async () => {
    const no = recordingRunner();
    const stdinNo = Object.assign(new PassThrough(), { isTTY: true });
    stdinNo.end('n\n');
    expect(await down([], cleanEnv(), no, stdinNo)).toBe(2);
    expect(no.calls).toEqual([]);
    const yes = recordingRunner();
    const stdinYes = Object.assign(new PassThrough(), { isTTY: true });
    stdinYes.end('y\n');
    const creds = join(tempDir('down'), 'credentials.json');
    writeFileSync(creds, '{}');
    process.env.LAB_CREDENTIALS_FILE = creds;
    // The install's profile record goes with its logins.
    writeInstalledProfile('strategies');
    expect(await down([], cleanEnv(), yes, stdinYes)).toBe(0);
    expect(existsSync(creds)).toBe(false);
    expect(existsSync(profileFile())).toBe(false);
    delete process.env.LAB_CREDENTIALS_FILE;
    expect(yes.calls.map((c) => c.cmd)).toEqual(['kind', 'docker', 'docker']);
  });

  it('--yes deletes without asking; --dry-run only lists; another context is refused', async () => {
    const runner = recordingRunner();
    process.env.LAB_CREDENTIALS_FILE = join(tempDir('down'), 'credentials.json');
    expect(await down(['--yes'], cleanEnv(), runner)).toBe(0);
    delete process.env.LAB_CREDENTIALS_FILE;
    expect(runner.calls).toHaveLength(3);
    const dry = recordingRunner();
    expect(await down(['--dry-run'], cleanEnv(), dry)).toBe(0);
    expect(dry.calls).toEqual([]);
    await expect(down(['--yes'], cleanEnv({ LAB_CONTEXT: 'gke_prod' }), recordingRunner())).rejects.toThrow('will not touch the context "gke_prod"');
  });
});

describe('npm run prefetch: filling a mirror through the registry API', () => {
  it('reads image references the way Docker does', () => {
    expect(parseImageRef('node:24')).toEqual({ registry: 'docker.io', repository: 'library/node', reference: '24' });
    expect(parseImageRef('jenkins/inbound-agent:abc-1')).toEqual({ registry: 'docker.io', repository: 'jenkins/inbound-agent', reference: 'abc-1' });
    expect(parseImageRef('quay.io/argoproj/argocd@sha256:0011')).toEqual({ registry: 'quay.io', repository: 'argoproj/argocd', reference: 'sha256:0011' });
    expect(parseImageRef('localhost:5001/hello-app:v1')).toEqual({ registry: 'localhost:5001', repository: 'hello-app', reference: 'v1' });
    expect(parseImageRef('ghcr.io/nginx/nginx-gateway-fabric/nginx')).toEqual({ registry: 'ghcr.io', repository: 'nginx/nginx-gateway-fabric/nginx', reference: 'latest' });
  });

  it('pulls the index, the manifests of the wanted architectures only, and each blob once', async () => {
    const blobs: Record<string, string> = { 'sha256:cfg-amd': '{}', 'sha256:layer-a': 'A'.repeat(1000), 'sha256:layer-shared': 'S'.repeat(10) };
    const index = { manifests: [
      { digest: 'sha256:m-amd', platform: { os: 'linux', architecture: 'amd64' } },
      { digest: 'sha256:m-arm', platform: { os: 'linux', architecture: 'arm64' } },
      { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
    ] };
    const manifests: Record<string, unknown> = {
      '24': index,
      'sha256:m-amd': { config: { digest: 'sha256:cfg-amd' }, layers: [{ digest: 'sha256:layer-a' }, { digest: 'sha256:layer-shared' }, { digest: 'sha256:layer-shared' }] },
    };
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url!);
      const m = /^\/v2\/library\/node\/(manifests|blobs)\/(.+)$/.exec(req.url!);
      const body = m?.[1] === 'manifests' ? JSON.stringify(manifests[m[2]]) : m ? blobs[m[2]] : undefined;
      if (body === undefined || body === 'undefined') return void res.writeHead(404).end();
      res.writeHead(200).end(body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await pullThrough(base, parseImageRef('node:24'), ['amd64']);
    server.close();
    expect(seen).toEqual(['/v2/library/node/manifests/24', '/v2/library/node/manifests/sha256:m-amd', '/v2/library/node/blobs/sha256:cfg-amd', '/v2/library/node/blobs/sha256:layer-a', '/v2/library/node/blobs/sha256:layer-shared']);
    expect(r).toEqual({ manifests: 2, blobs: 3, bytes: 2 + 1000 + 10 });
  });

  it('finds every image a rendered chart makes the cluster pull: workloads, install hooks, NGF\'s NGINX, the Jenkins build pods; not helm tests', () => {
    const rendered = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: x}\nspec:\n  template:\n    spec:\n      initContainers:\n      - {name: i, image: "quay.io/x/init:1"}\n      containers:\n      - {name: a, image: "quay.io/x/y:1"}',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: certs, annotations: {helm.sh/hook: pre-install}}\nspec: {template: {spec: {containers: [{name: c, image: "ghcr.io/x/certs:2"}]}}}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: t, annotations: {helm.sh/hook: test}}\nspec: {containers: [{name: w, image: "busybox:latest"}]}',
      'apiVersion: gateway.nginx.org/v1alpha2\nkind: NginxProxy\nmetadata: {name: p}\nspec: {kubernetes: {deployment: {container: {image: {repository: ghcr.io/nginx/nginx-gateway-fabric/nginx, tag: "3"}}}}}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: jcasc}\ndata:\n  casc.yaml: |\n    jenkins:\n      clouds:\n      - kubernetes:\n          templates:\n          - name: lab-builder\n            containers:\n            - {name: jnlp, image: "kind-registry:5000/lab-agent:abc"}\n            - {name: node, image: "node:24"}',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\nspec: {versions: [{schema: {properties: {image: {type: string}}}}]}',
    ].join('\n---\n');
    const uses = imagesOfRendered(renderedObjects(rendered));
    expect(uses.map((u) => u.image)).toEqual(['quay.io/x/init:1', 'quay.io/x/y:1', 'ghcr.io/x/certs:2', 'ghcr.io/nginx/nginx-gateway-fabric/nginx:3', 'kind-registry:5000/lab-agent:abc', 'node:24']);
    expect(uses.at(-1)!.from).toBe('ConfigMap jcasc: JCasC pod template lab-builder');
  });

  it('routes each image through its registry\'s mirror, or says why not (the local registry, no mirror, mirrors off)', () => {
    const route = (image: string, env = {}) => {
      const r = imageRoute(image, platformFull, env);
      return r.via === 'mirror' ? r.mirror.upstream : `${r.via}: ${r.reason}`;
    };
    expect(route('node:24')).toBe('docker.io');
    expect(route('ecr-public.aws.com/docker/library/redis:8')).toBe('ecr-public.aws.com');
    expect(route('docker.gitea.com/gitea:1-rootless')).toBe('docker.gitea.com');
    expect(route('kind-registry:5000/lab-agent:abc')).toBe('local: built by up and kept in the local registry');
    expect(route('mcr.microsoft.com/x:1')).toBe('direct: no mirror for mcr.microsoft.com in platform/platform.yaml (mirrors): the node pulls it from mcr.microsoft.com itself');
    expect(route('node:24', { LAB_MIRRORS: 'off' })).toBe('direct: mirrors are off (LAB_MIRRORS=off)');
  });

  it('--dry-run lists the charts, images and downloads, and fetches nothing', async () => {
    const { main: prefetch } = await import('../../scripts/prefetch.js');
    const out = captureLog();
    expect(await prefetch(['--dry-run', '--arch', 'amd64,arm64'], cleanEnv())).toBe(0);
    const stdout = out.stop();
    expect(stdout).toContain(`$ helm pull ${versions.charts.jenkins.chart} --repo ${versions.charts.jenkins.repo} --version ${versions.charts.jenkins.version} --destination .lab/cache/charts`);
    expect(stdout).toContain(`• pull ${versions.images.buildah} through http://127.0.0.1:5103`);
    expect(stdout).toContain('gatewayapi-plugin-linux-arm64');
    expect(stdout).toContain(`$ docker pull ${versions.kind.nodeImage}`);
  });
});

describe('npm run tools', () => {
  it('downloads kind and Helm at versions.json\'s versions, kubectl at the cluster\'s, and the kubectl argo rollouts plugin, each with its checksum file', () => {
    const d = Object.fromEntries(toolDownloads('linux', 'arm64').map((x) => [x.name, x]));
    expect(d.kind.url).toBe(`https://github.com/kubernetes-sigs/kind/releases/download/${versions.tools.kind}/kind-linux-arm64`);
    expect(d.kubectl.url).toBe(`https://dl.k8s.io/release/${versions.kind.nodeImage.split(':')[1].split('@')[0]}/bin/linux/arm64/kubectl`);
    expect(d.helm.url).toBe(`https://get.helm.sh/helm-${versions.tools.helm}-linux-arm64.tar.gz`);
    const plugin = `https://github.com/argoproj/argo-rollouts/releases/download/${versions.tools['kubectl-argo-rollouts']}`;
    expect(d['kubectl-argo-rollouts']).toMatchObject({ url: `${plugin}/kubectl-argo-rollouts-linux-arm64`, checksumUrl: `${plugin}/argo-rollouts-checksums.txt`, checksumEntry: 'kubectl-argo-rollouts-linux-arm64' });
    for (const x of [d.kind, d.kubectl, d.helm]) expect(x.checksumUrl.startsWith(x.url)).toBe(true);
    expect(checksumOf('ABCDEF  kind-linux-arm64\n')).toBe('abcdef');
    // argo-rollouts-checksums.txt: one line per binary (`shasum -a 256`), found by its file name.
    const sums = 'aa11  kubectl-argo-rollouts-darwin-amd64\nbb22  kubectl-argo-rollouts-linux-arm64\ncc33  kubectl-argo-rollouts-linux-amd64\n';
    expect(checksumOf(sums, 'kubectl-argo-rollouts-linux-arm64')).toBe('bb22');
    expect(checksumOf(sums, 'kubectl-argo-rollouts-windows-amd64')).toBe('');
  });

  describe('against a server that redirects like GitHub release assets and dl.k8s.io (302 to a CDN)', () => {
    const binary = Buffer.from('#!/bin/sh\necho tool\n');
    const sha = createHash('sha256').update(binary).digest('hex');
    let server: FakeHttp;
    let work: string;
    beforeAll(async () => {
      server = await startFakeHttp((req) => {
        const cdn = req.path.replace('/releases/', '/cdn/');
        if (req.path.startsWith('/releases/')) return { status: 302, body: '', headers: { location: `${server.url}${cdn}` } };
        if (req.path === '/loop') return { status: 302, body: '', headers: { location: '/loop' } };
        if (req.path === '/cdn/tool') return { status: 200, body: binary.toString() };
        if (req.path === '/cdn/tool.sha256') return { status: 200, body: `${sha}  tool\n` };
        if (req.path === '/cdn/checksums.txt') return { status: 200, body: `0000  other\n${sha}  tool-linux-amd64\n` };
        return { status: 404, body: 'not found' };
      });
      work = mkdtempSync(join(tmpdir(), 'cicd-lab-tools-install-'));
    });
    afterAll(async () => {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    });
    const tool = (over: Partial<ToolDownload>): ToolDownload => ({ name: 'kind', version: 'v0', url: `${server.url}/releases/tool`, checksumUrl: `${server.url}/releases/tool.sha256`, ...over });

    it('follows the redirects for the binary and its checksum file, checks it and installs it executable', async () => {
      const dir = mkdtempSync(join(work, 'bin-'));
      const target = await installTool(tool({}), dir, mkdtempSync(join(work, 'tmp-')));
      expect(readFileSync(target)).toEqual(binary);
      expect(statSync(target).mode & 0o777).toBe(0o755);
      expect(server.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/releases/tool.sha256', '/cdn/tool.sha256']));
    });

    it('finds its line in a checksum file of several binaries (the Rollouts plugin)', async () => {
      const dir = mkdtempSync(join(work, 'bin-'));
      const target = await installTool(tool({ name: 'kubectl-argo-rollouts', checksumUrl: `${server.url}/releases/checksums.txt`, checksumEntry: 'tool-linux-amd64' }), dir, mkdtempSync(join(work, 'tmp-')));
      expect(target).toBe(join(dir, 'kubectl-argo-rollouts'));
    });

    it('refuses a binary whose checksum does not match, and a redirect loop, saying which', async () => {
      const tmp = mkdtempSync(join(work, 'tmp-'));
      await expect(installTool(tool({ checksumUrl: `${server.url}/releases/checksums.txt`, checksumEntry: 'other' }), work, tmp)).rejects.toThrow('kind: checksum mismatch');
      await expect(installTool(tool({ checksumUrl: `${server.url}/loop` }), work, tmp)).rejects.toThrow(/more than 5 redirects/);
    });
  });
});
