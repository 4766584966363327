/**
 * A stand-in Kubernetes API server for the live collector's tests: serves LISTs of a set of
 * objects the way the real one does (a `<Kind>List` whose items lack apiVersion/kind), answers
 * chosen paths with chosen statuses (403, 404), and records every request it receives.
 * Plus the kubeconfig files that point at it.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { groupOf, listPath, RESOURCES } from '../../src/kube/resources.js';
import type { KubeObject } from '../../src/snapshot.js';
import { tempDir } from './temp.js';

export interface FakeApiServer {
  url: string;
  requests: { method: string; path: string; query: string; authorization?: string }[];
  /** Answer this path (without query) with this status from now on. */
  override(path: string, status: number): void;
  close(): Promise<void>;
}

export async function startFakeApiServer(objects: KubeObject[]): Promise<FakeApiServer> {
  const overrides = new Map<string, number>();
  const requests: FakeApiServer['requests'] = [];
  const lists = new Map<string, { kind: string; apiVersion: string; items: KubeObject[] }>();
  for (const r of Object.values(RESOURCES)) {
    const namespaces = new Set(objects.filter((o) => o.kind === r.kind).map((o) => o.metadata.namespace));
    for (const ns of namespaces) {
      const items = objects
        .filter((o) => o.kind === r.kind && groupOf(o.apiVersion) === groupOf(r.apiVersion) && o.metadata.namespace === ns)
        .map(({ apiVersion: _a, kind: _k, ...rest }) => rest as KubeObject);
      lists.set(listPath(r, ns), { kind: `${r.kind}List`, apiVersion: r.apiVersion, items });
    }
  }
  const known = new Set(Object.values(RESOURCES).map((r) => r.plural));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const forced = overrides.get(url.pathname);
    if (forced) return send(forced, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: forced, reason: forced === 403 ? 'Forbidden' : 'NotFound' });
    if (req.method !== 'GET') return send(405, { kind: 'Status', code: 405 });
    if (url.pathname === '/version') return send(200, { major: '1', minor: '37', gitVersion: 'v1.37.0' });
    const list = lists.get(url.pathname);
    if (list) {
      const selector = url.searchParams.get('labelSelector');
      const items = selector
        ? list.items.filter((o) => selector.split(',').every((pair) => { const [k, v] = pair.split('='); return o.metadata.labels?.[k] === v; }))
        : list.items;
      const fieldSelector = url.searchParams.get('fieldSelector');
      const filtered = fieldSelector === 'type=Warning' ? items.filter((o) => o.type === 'Warning') : items;
      return send(200, { kind: list.kind, apiVersion: list.apiVersion, metadata: { resourceVersion: '1' }, items: filtered });
    }
    // A served kind in a namespace with no objects lists empty, as the real API does.
    const plural = url.pathname.split('/').pop() ?? '';
    if (known.has(plural)) return send(200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] });
    return send(404, { kind: 'Status', code: 404, reason: 'NotFound' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    override: (path, status) => overrides.set(path, status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A kubeconfig file with these contexts, each pointing at `server`; the first is current. */
export function writeKubeconfig(server: string, contexts: string[], current = contexts[0]): string {
  const dir = tempDir('kubeconfig');
  const file = join(dir, 'config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node accepts a plain-HTTP server only with TLS verification off.
      clusters: contexts.map((c) => ({ name: c, cluster: { server, 'insecure-skip-tls-verify': true } })),
      users: contexts.map((c) => ({ name: c, user: { token: `token-of-${c}` } })),
      contexts: contexts.map((c) => ({ name: c, context: { cluster: c, user: c } })),
      'current-context': current,
    }),
  );
  return file;
}
