/**
 * The platform from a GitHub Codespace's browser: every UI on a forwarded port of its own, reached
 * through the proxy (platform/codespaces/proxy.mjs, run here for real against a stand-in gateway),
 * the services' external URLs set to those ports, `status` printing them, and the docs dev server
 * answering the forwarded host name. What only a real codespace shows — GitHub forwarding the ports —
 * is not tested here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { codespace, forwardedUrl, labHosts, proxyRoutes, proxyRun, publicUrl } from '../../scripts/lib/codespaces.js';
import { describeAction, plan } from '../../scripts/lib/up/plan.js';
import { chartValues } from '../../scripts/lib/up/renderers/chart-values.js';
import { upSteps } from '../../scripts/lib/up/steps.js';
import { platformFull as p } from '../../scripts/lib/platform.js';
import { gatherStatus, renderStatus, statusAddresses } from '../../scripts/lib/status.js';
import { recordingRunner } from '../../scripts/lib/exec.js';
import { versions } from '../../scripts/lib/versions.js';
import { fakeContext, freshState, testCredentials } from '../lib/fake-platform.js';
import { closedPort } from '../lib/fake-http.js';
import { summary } from '../../scripts/up.js';

const CS = { CODESPACES: 'true', CODESPACE_NAME: 'lab-crispy-fiesta-5g9x', GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: 'app.github.dev' };
const at = (port: number) => `https://${CS.CODESPACE_NAME}-${port}.${CS.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN}`;

testCredentials();

describe('where the browser finds each UI', () => {
  it('knows a codespace by the variables GitHub sets in one, and its forwarded URLs', () => {
    expect(codespace(CS)).toEqual({ name: CS.CODESPACE_NAME, domain: 'app.github.dev' });
    expect(codespace({})).toBeUndefined();
    expect(codespace({ ...CS, CODESPACES: undefined })).toBeUndefined();
    expect(forwardedUrl(codespace(CS)!, 8081)).toBe(at(8081));
  });

  it('gives every host behind the gateway a port of its own: Jenkins, Argo CD, Gitea, then each lab host', () => {
    const routes = proxyRoutes(p);
    expect(routes.slice(0, 3)).toEqual([
      { port: p.codespaces.ports.jenkins, host: p.hosts.jenkins },
      { port: p.codespaces.ports.argocd, host: p.hosts.argocd },
      { port: p.codespaces.ports.gitea, host: p.hosts.gitea },
    ]);
    const labs = labHosts();
    expect(labs).toEqual(expect.arrayContaining(['s4-canary.localhost', 'l4-rollouts-canary.localhost', 'preview.l4-rollouts-bluegreen.localhost']));
    expect(routes.slice(3).map((r) => r.host)).toEqual(labs);
    const ports = routes.map((r) => r.port);
    const taken = [p.gateway.port, Number(p.registry.host.split(':')[1]), ...p.mirrors.map((m) => m.port), p.codespaces.docs];
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.filter((x) => taken.includes(x))).toEqual([]);
  });

  it('uses the forwarded addresses in a codespace and *.localhost elsewhere', () => {
    expect(publicUrl(p.hosts.jenkins, p, CS)).toBe(at(p.codespaces.ports.jenkins));
    expect(publicUrl('s4-canary.localhost', p, CS)).toMatch(new RegExp(`^https://${CS.CODESPACE_NAME}-\\d+\\.app\\.github\\.dev$`));
    expect(publicUrl(p.hosts.jenkins, p, {})).toBe('http://jenkins.localhost:8080');
  });

  it('sets Jenkins\', Gitea\'s and Argo CD\'s own external URLs to the forwarded ports in a codespace', () => {
    expect((chartValues('jenkins', versions, p, CS) as any).controller.jenkinsUrl).toBe(`${at(p.codespaces.ports.jenkins)}/`);
    expect((chartValues('gitea', versions, p, CS) as any).gitea.config.server).toMatchObject({ ROOT_URL: `${at(p.codespaces.ports.gitea)}/`, DOMAIN: new URL(at(p.codespaces.ports.gitea)).hostname });
    expect((chartValues('argo-cd', versions, p, CS) as any).configs.cm.url).toBe(at(p.codespaces.ports.argocd));
    expect((chartValues('gitea', versions, p, {}) as any).gitea.config.server).toMatchObject({ ROOT_URL: 'http://git.localhost:8080/', DOMAIN: 'git.localhost' });
  });
});

describe('npm run up in a codespace', () => {
  it('runs the proxy on the devcontainer\'s network, restarted with Docker; outside a codespace there is nothing to do', async () => {
    const outside = (await plan(upSteps(), fakeContext(freshState(), { root: ROOT }).ctx)).find((x) => x.step.id === 'codespaces-proxy')!;
    expect(outside.observation).toEqual({ done: true, reason: 'not in a GitHub Codespace: browsers use *.localhost' });
    const inside = (await plan(upSteps(), fakeContext(freshState(), { root: ROOT, env: CS }).ctx)).find((x) => x.step.id === 'codespaces-proxy')!;
    expect(inside.observation.done).toBe(false);
    expect(inside.actions.map(describeAction).join('\n')).toContain(`--name ${p.codespaces.proxy} --network host`);
    const run = proxyRun(p, CS, versions.images['app-base']);
    expect(run.args).toEqual(expect.arrayContaining(['--restart=always', versions.images['app-base'], 'node', '/proxy.mjs']));
    const routes = JSON.parse(run.args.find((a) => a.startsWith('PROXY_ROUTES='))!.slice('PROXY_ROUTES='.length));
    expect(routes[0]).toEqual({ port: p.codespaces.ports.jenkins, host: p.hosts.jenkins, public: at(p.codespaces.ports.jenkins) });
  });

  it('ends by printing the forwarded addresses', () => {
    const text = summary({ platform: p, env: CS, lang: 'en' });
    expect(text).toContain(`Jenkins   ${at(p.codespaces.ports.jenkins)}`);
    expect(text).toContain(`Gitea     ${at(p.codespaces.ports.gitea)}/lab/hello-app`);
    expect(text).toContain('npm run status');
    // The strategies profile has no Jenkins, Argo CD or Gitea to point at.
    const small = summary({ platform: p, env: CS, lang: 'en' }, 'strategies');
    expect(small).toContain('Lab platform addresses (profile strategies):');
    for (const ui of ['Jenkins', 'Argo CD', 'Gitea']) expect(small).not.toContain(`  ${ui} `);
    expect(small).toContain('Registry');
  });
});

describe('npm run status prints the addresses that work where it runs', () => {
  it('in a codespace: the forwarded ports of each UI, of each lab host and of the docs', async () => {
    const port = await closedPort();
    const runner = recordingRunner((c) => (c.cmd === 'docker' && c.args[0] === 'info' ? { code: 0, stdout: '28.0.0', stderr: '' } : c.cmd === 'kubectl' ? { code: 0, stdout: '{"items":[]}', stderr: '' } : undefined));
    const facts = await gatherStatus(runner, p, { ...CS, LAB_GATEWAY_PORT: String(port), LAB_REGISTRY_URL: `http://127.0.0.1:${port}` }, () => 'full');
    expect(facts.components.find((c) => c.id === 'jenkins')!.url).toBe(at(p.codespaces.ports.jenkins));
    expect(facts.components.find((c) => c.id === 'gitea')!.url).toBe(at(p.codespaces.ports.gitea));
    const text = renderStatus(facts, 'en');
    expect(text).toContain('Lab addresses (ports this codespace forwards; open them in the browser):');
    expect(text).toMatch(new RegExp(`^  s4-canary\\.localhost +https://${CS.CODESPACE_NAME}-\\d+\\.app\\.github\\.dev$`, 'm'));
    expect(text).toContain(`Docs (npm run docs:dev): ${at(p.codespaces.docs)}`);
  });

  it('elsewhere: *.localhost on the gateway port, and the docs on localhost', () => {
    const a = statusAddresses(p, {});
    expect(a.codespace).toBe(false);
    expect(a.labs.find((l) => l.host === 's4-canary.localhost')!.url).toBe('http://s4-canary.localhost:8080');
    expect(a.docs).toBe(`http://localhost:${p.codespaces.docs}`);
  });
});

/** A stand-in gateway: records what arrives, redirects / to the internal login URL, echoes upgrades. */
async function standInGateway() {
  const seen: { host?: string; forwardedHost?: string; forwardedProto?: string; path?: string }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ host: req.headers.host, forwardedHost: req.headers['x-forwarded-host'] as string, forwardedProto: req.headers['x-forwarded-proto'] as string, path: req.url });
    if (req.url === '/') return void res.writeHead(302, { location: `http://${req.headers.host}:8080/login?from=%2F` }).end();
    if (req.url === '/elsewhere') return void res.writeHead(302, { location: 'https://github.com/login' }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 'v2', host: req.headers.host }));
  });
  server.on('upgrade', (req, socket) => {
    seen.push({ host: req.headers.host, path: req.url });
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.on('data', (d) => socket.write(d));
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => sockets.add(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, any>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the codespaces proxy (platform/codespaces/proxy.mjs, run by node as the container runs it)', () => {
  let gateway: Awaited<ReturnType<typeof standInGateway>>;
  let proxy: ChildProcess;
  let jenkinsPort: number;
  let labPort: number;

  beforeAll(async () => {
    gateway = await standInGateway();
    [jenkinsPort, labPort] = [await closedPort(), await closedPort()];
    const routes = [
      { port: jenkinsPort, host: 'jenkins.localhost', public: at(8081) },
      { port: labPort, host: 's4-canary.localhost', public: at(8097) },
    ];
    proxy = spawn(process.execPath, [join(ROOT, 'platform/codespaces/proxy.mjs')], { env: { ...process.env, PROXY_ROUTES: JSON.stringify(routes), PROXY_TARGET: gateway.url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proxy.stdout!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => out.split('\n').filter(Boolean).length >= 2 && (clearInterval(check), resolve()), 20);
      proxy.once('exit', (code) => (clearInterval(check), reject(new Error(`proxy exited ${code}`))));
    });
  }, 30_000);
  afterAll(async () => {
    proxy.kill();
    await gateway.close();
  });

  it('passes each port\'s requests to the gateway under its host name, saying where the browser is', async () => {
    const r = await get(labPort, '/api', { 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ version: 'v2', host: 's4-canary.localhost' });
    expect(gateway.seen.at(-1)).toMatchObject({ host: 's4-canary.localhost', forwardedHost: new URL(at(8097)).host, forwardedProto: 'https', path: '/api' });
  });

  it('turns redirects to the internal address into the forwarded one, and leaves others alone', async () => {
    expect((await get(jenkinsPort, '/')).headers.location).toBe(`${at(8081)}/login?from=%2F`);
    expect((await get(jenkinsPort, '/elsewhere')).headers.location).toBe('https://github.com/login');
  });

  it('passes WebSocket upgrades through', async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: jenkinsPort, path: '/ws', headers: { connection: 'Upgrade', upgrade: 'websocket' } });
      req.on('upgrade', (_res, socket) => {
        socket.once('data', (d) => {
          resolve(d.toString());
          socket.destroy();
        });
        socket.write('ping');
      });
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('ping');
    expect(gateway.seen.at(-1)).toMatchObject({ host: 'jenkins.localhost', path: '/ws' });
  });
});

describe('the docs dev server in a codespace', () => {
  it('answers the forwarded host name when the codespace\'s domain is set, and still refuses unknown hosts', async () => {
    const port = await closedPort();
    const server = spawn(process.execPath, [join(ROOT, 'node_modules/vitepress/bin/vitepress.js'), 'dev', 'docs', '--port', String(port), '--strictPort'], {
      cwd: ROOT,
      env: { ...process.env, GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: CS.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN },
      stdio: 'ignore',
      detached: true,
    });
    try {
      const status = (host: string) => get(port, '/', { host }).then((r) => r.status, () => 0);
      const forwarded = `${CS.CODESPACE_NAME}-${port}.${CS.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN}`;
      for (let i = 0; i < 300 && (await status(forwarded)) === 0; i++) await new Promise((r) => setTimeout(r, 200));
      expect(await status(forwarded)).toBe(200);
      expect(await status('attacker.example.com')).toBe(403);
    } finally {
      // The dev server and what it started are one process group: ask it to stop, and make sure it did
      // (a dev server left running holds its port and a core's worth of watchers after the tests end).
      const exited = new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r(undefined) : server.once('exit', r)));
      process.kill(-server.pid!, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
      if (!stopped) process.kill(-server.pid!, 'SIGKILL');
    }
  }, 90_000);
});
