/**
 * One small HTTP client for every collector (Kubernetes API, Jenkins, registry, Gitea, gateway).
 * Node's http/https rather than fetch because it takes TLS material from a kubeconfig and lets
 * `*.localhost` names reach the loopback gateway on every OS: names under `.localhost` are
 * resolved to 127.0.0.1 here (RFC 6761 reserves them for loopback; not every resolver does it).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import { waitFor, type WaitOptions } from './wait.js';

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** TLS and auth options as @kubernetes/client-node's applyToHTTPSOptions fills them. */
  tls?: RequestOptions;
  basicAuth?: { user: string; password: string };
  /**
   * How many redirects (301, 302, 303, 307, 308) to follow; 0, the default, returns the redirect
   * itself (the collectors read Jenkins' and Gitea's answers as they are). Downloads from GitHub
   * release assets and dl.k8s.io need it: both answer 302 to a CDN.
   */
  maxRedirects?: number;
}

/** The redirect limit the kit's downloads use (checksum files, tools, the Rollouts plugin). */
export const DOWNLOAD_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request that got no HTTP answer at all (refused, unknown host, timeout, TLS failure). */
export class NetworkError extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'NetworkError';
  }

  /** "connection refused", "timed out after 5s", … — for messages. */
  get reason(): string {
    switch (this.code) {
      case 'ECONNREFUSED':
        return 'connection refused';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return 'host name not found';
      case 'ETIMEDOUT':
        return 'timed out';
      case 'ECONNRESET':
        return 'connection reset';
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return 'host unreachable';
      default:
        return this.message;
    }
  }
}

export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    if ((options as { all?: boolean }).all) (callback as any)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  import('node:dns').then((dns) => dns.lookup(hostname, options, callback as any));
};

export async function request(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  let current = url;
  let currentOptions = options;
  for (let hops = 0; ; hops++) {
    const res = await requestOnce(current, currentOptions);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location || !options.maxRedirects) return res;
    if (hops >= options.maxRedirects) throw new NetworkError(url, 'EREDIRECTS', `more than ${options.maxRedirects} redirects (last: ${current} → ${location})`);
    const next = new URL(location, current);
    // Credentials stay with the origin they were meant for (a CDN gets none).
    if (next.origin !== new URL(current).origin) currentOptions = { ...currentOptions, basicAuth: undefined, headers: withoutAuthorization(currentOptions.headers) };
    current = next.toString();
    // 303 turns any method into GET; the others repeat the request as it was.
    if (res.status === 303) currentOptions = { ...currentOptions, method: 'GET', body: undefined };
  }
}

const withoutAuthorization = (headers?: Record<string, string>) => headers && Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));

function requestOnce(url: string, options: HttpOptions): Promise<HttpResponse> {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { ...(options.tls?.headers as Record<string, string> | undefined), ...options.headers };
  if (options.basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64')}`;
  }
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        ...(target.protocol === 'https:' ? options.tls : {}),
        method: options.method ?? 'GET',
        headers,
        lookup: loopbackLookup,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e: NodeJS.ErrnoException) => reject(new NetworkError(url, e.code ?? 'ERESPONSE', e.message)));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? (e as any).errors?.[0]?.code ?? 'ENETWORK';
      reject(new NetworkError(url, code, e.message || code));
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** GET and parse JSON; `undefined` on 404 so that "not found" is an answer, not an error. */
export async function getJson<T = any>(url: string, options: HttpOptions = {}): Promise<{ status: number; data: T | undefined; body: string }> {
  const res = await request(url, { ...options, headers: { accept: 'application/json', ...options.headers } });
  if (res.status === 404) return { status: 404, data: undefined, body: res.body };
  let data: T | undefined;
  try {
    data = JSON.parse(res.body) as T;
  } catch {
    data = undefined;
  }
  return { status: res.status, data, body: res.body };
}

/**
 * Wait until `GET url` answers 200 (a service coming up behind the gateway): connection errors and
 * other statuses count as not yet, and a timeout names the last of them.
 */
export async function waitForOk(url: string, options: WaitOptions): Promise<void> {
  const path = new URL(url).pathname;
  await waitFor(async () => {
    try {
      const r = await request(url, { timeoutMs: 5000 });
      return { done: r.status === 200, seen: `GET ${path} → ${r.status}` };
    } catch (error) {
      return { done: false, seen: (error as Error).message };
    }
  }, options);
}
