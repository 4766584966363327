/**
 * The lab gateway from a GitHub Codespace's browser (scripts/lib/codespaces.ts says why). One port per
 * host behind the gateway; each request is passed to the gateway with that host name, so the
 * HTTPRoutes of the platform and of the labs decide as they do on a laptop:
 *
 *   browser → https://<codespace>-8081.<domain> → (codespace port forwarding) → 127.0.0.1:8081
 *           → this proxy → 127.0.0.1:8080, Host: jenkins.localhost → NGINX Gateway Fabric → Jenkins
 *
 * It keeps the forwarded address in X-Forwarded-Host/-Proto/-Port (as the codespace's forwarder sent
 * them, or the public address when it did not), turns redirects to the internal address
 * (http://jenkins.localhost:8080/…) into the public one, and passes WebSocket upgrades through.
 *
 * Run as `node proxy.mjs` (an ES module in plain JavaScript: any Node.js runs it as it is), with
 *   PROXY_ROUTES  [{"port":8081,"host":"jenkins.localhost","public":"https://…-8081.app.github.dev"}, …]
 *   PROXY_TARGET  http://127.0.0.1:8080
 * Self-contained: Node's own modules only, because it runs in a plain node image.
 */
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

/** @typedef {{ port: number, host: string, public: string }} Route */

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/**
 * The request headers for the gateway: its host name, and where the browser really is.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {Route} route
 */
export function upstreamHeaders(headers, route) {
  const pub = new URL(route.public);
  const out = { ...headers, host: route.host };
  out['x-forwarded-host'] = headers['x-forwarded-host'] ?? pub.host;
  out['x-forwarded-proto'] = headers['x-forwarded-proto'] ?? pub.protocol.replace(':', '');
  out['x-forwarded-port'] = headers['x-forwarded-port'] ?? (pub.port || (pub.protocol === 'https:' ? '443' : '80'));
  return out;
}

/**
 * A Location the service answered with, as the browser must follow it.
 * @param {string} location @param {Route} route
 */
export function publicLocation(location, route) {
  let url;
  try {
    url = new URL(location);
  } catch {
    return location; // relative: the browser resolves it against the public address already
  }
  // Any port: the service builds it from the host name the gateway passed on, with or without one.
  const internal = url.hostname === route.host;
  if (!internal) return location;
  const pub = new URL(route.public);
  return `${pub.origin}${url.pathname}${url.search}${url.hash}`;
}

/** @param {Route} route @param {URL} target */
function proxyHttp(route, target) {
  return (req, res) => {
    const headers = upstreamHeaders(req.headers, route);
    for (const h of HOP_BY_HOP) delete headers[h];
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const out = { ...answer.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      if (typeof out.location === 'string') out.location = publicLocation(out.location, route);
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`cicd-lab codespaces proxy: the gateway at ${target.host} did not answer for ${route.host} (${error.message}). Is the platform up? npm run status\n`);
    });
    req.pipe(upstream);
  };
}

/** A WebSocket (or any) upgrade: the same request line and headers to the gateway, then bytes both ways. */
/** @param {Route} route @param {URL} target */
function proxyUpgrade(route, target) {
  return (req, socket, head) => {
    const upstream = connect(Number(target.port || 80), target.hostname, () => {
      const headers = upstreamHeaders(req.headers, route);
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : v === undefined ? [] : [`${k}: ${v}`])), '', ''];
      upstream.write(lines.join('\r\n'));
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
  };
}

/** Listen on every route's port (on `bind`, the loopback by default: the codespace forwards from there). */
/** @param {Route[]} routes @param {string} target @returns {Promise<import('node:http').Server[]>} */
export async function startProxy(routes, target, bind = '127.0.0.1') {
  const t = new URL(target);
  return Promise.all(
    routes.map(
      (route) =>
        new Promise((resolve, reject) => {
          const server = createServer(proxyHttp(route, t));
          server.on('upgrade', proxyUpgrade(route, t));
          server.once('error', reject);
          server.listen(route.port, bind, () => resolve(server));
        }),
    ),
  );
}

if (process.argv[1]?.endsWith('proxy.mjs') && process.env.PROXY_ROUTES) {
  /** @type {Route[]} */
  const routes = JSON.parse(process.env.PROXY_ROUTES);
  const target = process.env.PROXY_TARGET ?? 'http://127.0.0.1:8080';
  await startProxy(routes, target);
  for (const r of routes) console.log(`${r.public} → :${r.port} → ${target} (Host: ${r.host})`);
}
