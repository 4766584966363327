/**
 * The platform in a GitHub Codespace. A browser reaches a port the codespace forwards at
 * https://<CODESPACE_NAME>-<port>.<GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN> (GitHub docs, "Forwarding
 * ports in your codespace"; the devcontainer sets both variables), never at *.localhost, so one
 * gateway port cannot tell Jenkins from Gitea there. So, in a codespace:
 *
 *   - every host behind the gateway gets a port of its own (platform.yaml `codespaces`): the platform's
 *     hosts fixed ports, each lab host found in labs/ (HTTPRoute hostnames) the next one from labsFrom;
 *   - `up` runs a proxy container on the devcontainer's network (platform/codespaces/proxy.mjs) that
 *     listens on those ports and passes each request to the gateway with the host name it routes on;
 *   - the services' own external URLs (Jenkins' URL, Gitea's ROOT_URL, Argo CD's url) are the
 *     forwarded addresses, so their links and redirects work in the browser;
 *   - `npm run status` prints the forwarded addresses.
 * The kit's own requests (graders, `lab`, `up`'s waits) still go to 127.0.0.1:8080 inside the codespace.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../src/paths.js';
import { gatewayUrl } from '../../src/platform.js';
import { sourceFiles } from './content-hash.js';
import type { Cmd } from './exec.js';
import type { PlatformFull } from './platform.js';

export interface Codespace {
  name: string;
  domain: string;
}

/** The codespace this runs in, from the variables GitHub sets in every codespace; undefined elsewhere. */
export function codespace(env: NodeJS.ProcessEnv): Codespace | undefined {
  const name = env.CODESPACE_NAME;
  const domain = env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN;
  return env.CODESPACES === 'true' && name && domain ? { name, domain } : undefined;
}

export const forwardedUrl = (cs: Codespace, port: number) => `https://${cs.name}-${port}.${cs.domain}`;

/** The host names the labs' HTTPRoutes answer on (labs/<lab>/*.yaml), sorted. */
export function labHosts(root = ROOT): string[] {
  const hosts = new Set<string>();
  const labs = join(root, 'labs');
  for (const rel of existsSync(labs) ? sourceFiles(labs).filter((f) => /\.ya?ml$/.test(f)) : []) {
    const text = readFileSync(join(labs, rel), 'utf8');
    if (!/\bkind:\s*HTTPRoute\b/.test(text)) continue;
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as { kind?: string; spec?: { hostnames?: string[] } } | null;
      if (o?.kind === 'HTTPRoute') for (const h of o.spec?.hostnames ?? []) hosts.add(h);
    }
  }
  return [...hosts].sort();
}

export interface ProxyRoute {
  /** The port the proxy listens on (and the codespace forwards). */
  port: number;
  /** The host name the gateway routes on. */
  host: string;
}

/** Each host behind the gateway with its own port: the platform's, then the labs'. */
export function proxyRoutes(p: PlatformFull, root = ROOT): ProxyRoute[] {
  const platformHosts: ProxyRoute[] = (['jenkins', 'argocd', 'gitea'] as const).map((k) => ({ port: p.codespaces.ports[k], host: p.hosts[k] }));
  return [...platformHosts, ...labHosts(root).map((host, i) => ({ port: p.codespaces.labsFrom + i, host }))];
}

/**
 * The address a browser uses for a host behind the gateway: the forwarded port's URL in a codespace,
 * else http://<host>:<gateway port>.
 */
export function publicUrl(host: string, p: PlatformFull, env: NodeJS.ProcessEnv, root = ROOT): string {
  const cs = codespace(env);
  const route = cs && proxyRoutes(p, root).find((r) => r.host === host);
  return cs && route ? forwardedUrl(cs, route.port) : gatewayUrl(host, env);
}

/** Where the proxy program lives in the repository. */
export const PROXY_SCRIPT = 'platform/codespaces/proxy.mjs';

/** The proxy's configuration, as the container gets it (PROXY_ROUTES, PROXY_TARGET). */
export function proxyConfig(p: PlatformFull, env: NodeJS.ProcessEnv, root = ROOT) {
  const cs = codespace(env);
  const routes = proxyRoutes(p, root).map((r) => ({ ...r, public: cs ? forwardedUrl(cs, r.port) : `http://127.0.0.1:${r.port}` }));
  // The gateway as the devcontainer reaches it: kind publishes it on the loopback.
  return { routes, target: `http://${p.gateway.host}:${env.LAB_GATEWAY_PORT ?? p.gateway.port}` };
}

/** A hash of everything the proxy container is made of, kept as a label: a change makes a new one. */
export function proxyHash(p: PlatformFull, env: NodeJS.ProcessEnv, image: string, root = ROOT): string {
  return createHash('sha256').update(JSON.stringify(proxyConfig(p, env, root))).update(image).update(readFileSync(join(root, PROXY_SCRIPT))).digest('hex').slice(0, 16);
}

export const PROXY_LABEL = 'org.cicd-lab.codespaces-proxy';

/**
 * `docker run` of the proxy: the devcontainer's own network (docker-in-docker, so "host" is the
 * devcontainer, where kind publishes the gateway and the codespace forwards ports), restarted with
 * Docker, the program mounted read-only from the repository and run by the Node.js of hello-app's
 * base image.
 */
export function proxyRun(p: PlatformFull, env: NodeJS.ProcessEnv, image: string, root = ROOT): Cmd {
  const config = proxyConfig(p, env, root);
  return {
    cmd: 'docker',
    args: [
      'run', '-d', '--restart=always', '--name', p.codespaces.proxy, '--network', 'host',
      '--label', `${PROXY_LABEL}=${proxyHash(p, env, image, root)}`,
      '-v', `${join(root, PROXY_SCRIPT)}:/proxy.mjs:ro`,
      '-e', `PROXY_ROUTES=${JSON.stringify(config.routes)}`, '-e', `PROXY_TARGET=${config.target}`,
      image, 'node', '/proxy.mjs',
    ],
  };
}
