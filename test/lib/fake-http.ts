/** A recording HTTP server for stand-ins of Jenkins, Gitea and the gateway in the kit tests. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export interface FakeHttp {
  url: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startFakeHttp(answer: (req: Recorded) => Answer): Promise<FakeHttp> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const rec = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers };
    requests.push(rec);
    const a = answer(rec);
    const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': typeof a.body === 'string' ? 'text/plain' : 'application/json', ...a.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, requests, close: () => new Promise((r) => server.close(() => r())) };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await startFakeHttp(() => ({ status: 200, body: '' }));
  await s.close();
  return s.port;
}
