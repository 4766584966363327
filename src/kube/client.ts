/**
 * The lab's Kubernetes API, read through @kubernetes/client-node's kubeconfig handling (contexts,
 * certificates, tokens, exec plugins) and plain GETs, so that objects come back exactly as the API
 * returns them (the typed clients would turn timestamps into Dates).
 *
 * Safety (ARCHITECTURE.md#contracts): the kit acts on the context `kind-cicd-lab` only, unless the
 * user names another with --context or LAB_CONTEXT. The current context of the kubeconfig is never
 * used by default, so a work or production cluster is not touched by accident.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { LabError } from '../errors.js';
import { L } from '../i18n.js';
import { NetworkError, request, type HttpResponse } from '../http.js';
import { platform } from '../platform.js';

const require = createRequire(import.meta.url);

/**
 * @kubernetes/client-node, loaded the first time a kubeconfig is read: it takes about a second of
 * CPU to load, and most runs of the kit's commands never read one (`--help`, `lab -- list`, grading
 * a snapshot, a dry run).
 */
export const clientNode = (): typeof import('@kubernetes/client-node') => require('@kubernetes/client-node');

export interface KubeTarget {
  context: string;
  server: string;
  kubeconfig: string[];
  /** True when the user named the context (so a non-lab context is allowed). */
  named: boolean;
  config: KubeConfig;
}

export function kubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

const upHint = L('랩 클러스터를 만들거나 다시 켜려면 `npm run up`을 실행하세요(Docker가 실행 중이어야 합니다).', 'Create or restart the lab cluster with `npm run up` (Docker must be running).');

/**
 * Pick the context to act on, or refuse. `named` is --context / LAB_CONTEXT; without it only the
 * lab's own context is acceptable.
 */
export function resolveTarget(named?: string, env: NodeJS.ProcessEnv = process.env): KubeTarget {
  named = named || env.LAB_CONTEXT || undefined;
  const paths = kubeconfigPaths(env);
  const existing = paths.filter((p) => existsSync(p));
  const tried = paths.join(', ');
  if (existing.length === 0) {
    throw new LabError(L(
      `kubeconfig가 없습니다(찾아본 곳: ${tried}). 랩 클러스터가 아직 없습니다. ${upHint.ko}`,
      `No kubeconfig found (looked at ${tried}), so there is no lab cluster yet. ${upHint.en}`,
    ));
  }
  const { KubeConfig } = clientNode();
  const config = new KubeConfig();
  try {
    // The same merge as kubectl: every file of KUBECONFIG, the first one's current context.
    existing.forEach((file, i) => {
      if (i === 0) return config.loadFromFile(file);
      const more = new KubeConfig();
      more.loadFromFile(file);
      config.mergeConfig(more, true);
    });
  } catch (error) {
    throw new LabError(L(`kubeconfig(${tried})를 읽을 수 없습니다: ${(error as Error).message}`, `Cannot read the kubeconfig (${tried}): ${(error as Error).message}`));
  }
  const contexts = config.getContexts().map((c) => c.name);
  const wanted = named ?? platform.context;
  if (!contexts.includes(wanted)) {
    const listed = contexts.length ? contexts.join(', ') : '(none)';
    if (named) {
      throw new LabError(L(
        `지정한 컨텍스트 "${named}"가 kubeconfig(${tried})에 없습니다. 있는 컨텍스트: ${listed}`,
        `The context "${named}" you named is not in the kubeconfig (${tried}). Contexts there: ${listed}`,
      ));
    }
    const current = config.getCurrentContext() || '(none)';
    throw new LabError(L(
      `랩의 컨텍스트 ${platform.context}가 kubeconfig(${tried})에 없습니다(현재 컨텍스트: ${current}). ` +
        `업무용이나 운영 클러스터를 실수로 건드리지 않도록, 키트는 다른 컨텍스트를 직접 지정하지 않으면 사용하지 않습니다. ` +
        `${upHint.ko} 다른 클러스터를 일부러 쓰려면 이름을 지정하세요: --context <이름> 또는 LAB_CONTEXT=<이름>.`,
      `The lab's context ${platform.context} is not in the kubeconfig (${tried}; current context: ${current}). ` +
        `So that a work or production cluster is never touched by accident, the kit uses no other context unless you name it. ` +
        `${upHint.en} To use another cluster on purpose, name it: --context <name> or LAB_CONTEXT=<name>.`,
    ));
  }
  config.setCurrentContext(wanted);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new LabError(`context ${wanted} in ${tried} has no cluster server address`);
  return { context: wanted, server: server.replace(/\/+$/, ''), kubeconfig: existing, named: Boolean(named), config };
}

/** Read-only access to one cluster: GET only, by design. */
export class KubeClient {
  private tls?: Promise<RequestOptions>;
  /** Every request made, for tests and for `--verbose`. */
  readonly requests: string[] = [];

  constructor(readonly target: KubeTarget) {}

  private options(): Promise<RequestOptions> {
    return (this.tls ??= (async () => {
      const opts: RequestOptions = {};
      await this.target.config.applyToHTTPSOptions(opts);
      return opts;
    })());
  }

  async get(path: string, query: Record<string, string | undefined> = {}): Promise<HttpResponse> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
    const url = `${this.target.server}${path}${params.size ? `?${params}` : ''}`;
    this.requests.push(`GET ${path}${params.size ? `?${params}` : ''}`);
    return request(url, { tls: await this.options(), headers: { accept: 'application/json' }, timeoutMs: 15_000 });
  }

  /** One GET /version: turns "no cluster" into one clear message before anything else runs. */
  async preflight(): Promise<void> {
    let res: HttpResponse;
    try {
      res = await this.get('/version');
    } catch (error) {
      throw this.unreachable(error);
    }
    if (res.status === 401 || res.status === 403) throw this.refused(res.status, '/version');
  }

  unreachable(error: unknown): LabError {
    const { context, server, kubeconfig } = this.target;
    const why = error instanceof NetworkError ? error.reason : (error as Error).message;
    return new LabError(L(
      `랩 클러스터의 Kubernetes API에 연결할 수 없습니다: ${server} (컨텍스트 ${context}, kubeconfig ${kubeconfig.join(', ')}): ${why}. ${upHint.ko}`,
      `Cannot reach the lab cluster's Kubernetes API at ${server} (context ${context}, kubeconfig ${kubeconfig.join(', ')}): ${why}. ${upHint.en}`,
    ));
  }

  refused(status: number, path: string): LabError {
    const { context, server } = this.target;
    return new LabError(L(
      `Kubernetes API(${server}, 컨텍스트 ${context})가 요청을 거부했습니다: GET ${path} → ${status}. 이 컨텍스트의 자격 증명으로는 읽을 수 없습니다. 랩 클러스터라면 \`npm run up\`으로 kubeconfig를 다시 쓰세요.`,
      `The Kubernetes API (${server}, context ${context}) refused the request: GET ${path} → ${status}. The credentials of this context may not read it. For the lab cluster, \`npm run up\` writes the kubeconfig again.`,
    ));
  }
}
