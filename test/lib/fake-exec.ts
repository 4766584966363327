/**
 * A stand-in Kubernetes API server that also answers exec: LISTs of a set of objects (as the real
 * one: a `<Kind>List` whose items lack apiVersion/kind, label selectors applied), and
 * `GET /api/v1/namespaces/<ns>/pods/<pod>/exec?command=…` upgraded to a WebSocket that speaks the
 * channel.k8s.io protocol the way the API server does: the command's stdout on stream 1, stderr on
 * stream 2, then a Status on stream 3 (Success, or Failure with reason NonZeroExitCode and the
 * exit code as a cause), then close. The command itself is carried out by `run` — in the kit
 * tests, for real, against a local PostgreSQL.
 *
 * The WebSocket side is RFC 6455 written out (handshake, unmasked server frames), so no package is
 * needed. Every request is recorded: the tests prove the collector only reads.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ExecResult } from '../../src/collect/sql.js';
import { groupOf, listPath, RESOURCES } from '../../src/kube/resources.js';
import type { KubeObject } from '../../src/snapshot.js';

export type ExecRun = (call: { namespace: string; pod: string; container: string; command: string[] }) => Promise<ExecResult> | ExecResult;

export interface ExecApiServer {
  url: string;
  requests: { method: string; path: string; query: string; upgrade: boolean }[];
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One unmasked binary frame (server to client), or a close frame. */
function frame(payload: Buffer, opcode = 0x2): Buffer {
  const n = payload.length;
  const header = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}

const channel = (stream: number, data: string | Buffer) => frame(Buffer.concat([Buffer.from([stream]), Buffer.from(data)]));

export async function startExecApiServer(objects: KubeObject[], run: ExecRun): Promise<ExecApiServer> {
  const requests: ExecApiServer['requests'] = [];
  const lists = new Map<string, { kind: string; apiVersion: string; items: KubeObject[] }>();
  for (const r of Object.values(RESOURCES)) {
    for (const ns of new Set(objects.filter((o) => o.kind === r.kind).map((o) => o.metadata.namespace))) {
      const items = objects
        .filter((o) => o.kind === r.kind && groupOf(o.apiVersion) === groupOf(r.apiVersion) && o.metadata.namespace === ns)
        .map(({ apiVersion: _a, kind: _k, ...rest }) => rest as KubeObject);
      lists.set(listPath(r, ns), { kind: `${r.kind}List`, apiVersion: r.apiVersion, items });
    }
  }
  const known = new Set(Object.values(RESOURCES).map((r) => r.plural));

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, upgrade: false });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { kind: 'Status', code: 405 });
    if (url.pathname === '/version') return send(200, { major: '1', minor: '37', gitVersion: 'v1.37.0' });
    const list = lists.get(url.pathname);
    const selector = url.searchParams.get('labelSelector');
    const fieldSelector = url.searchParams.get('fieldSelector');
    if (list) {
      let items = selector ? list.items.filter((o) => selector.split(',').every((pair) => { const [k, v] = pair.split('='); return o.metadata.labels?.[k] === v; })) : list.items;
      if (fieldSelector === 'type=Warning') items = items.filter((o) => o.type === 'Warning');
      return send(200, { kind: list.kind, apiVersion: list.apiVersion, metadata: { resourceVersion: '1' }, items });
    }
    if (known.has(url.pathname.split('/').pop() ?? '')) return send(200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] });
    return send(404, { kind: 'Status', code: 404, reason: 'NotFound' });
  });

  server.on('upgrade', async (req: IncomingMessage, socket: Socket) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, upgrade: true });
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const protocol = ['v4.channel.k8s.io', 'channel.k8s.io'].find((p) => offered.includes(p));
    if (req.method !== 'GET' || !m || !protocol || !req.headers['sec-websocket-key']) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WS_GUID}`).digest('base64');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, `Sec-WebSocket-Protocol: ${protocol}`, '', ''].join('\r\n'));
    socket.on('error', () => {});
    socket.on('data', () => {}); // the client's frames (its close) need no answer here
    const result = await run({ namespace: m[1], pod: m[2], container: url.searchParams.get('container') ?? '', command: url.searchParams.getAll('command') });
    if (result.stdout) socket.write(channel(1, result.stdout));
    if (result.stderr) socket.write(channel(2, result.stderr));
    const status =
      result.exitCode === 0
        ? { metadata: {}, status: 'Success' }
        : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${result.exitCode}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(result.exitCode) }] } };
    socket.write(channel(3, JSON.stringify(status)));
    socket.end(frame(Buffer.from([0x03, 0xe8]), 0x8));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
