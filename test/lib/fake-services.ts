/**
 * Stand-ins for Jenkins and Gitea that behave like the real APIs where the live executor depends on
 * them, and record every request with its body:
 *   Jenkins — CSRF: a POST authenticated with a password must carry the crumb from /crumbIssuer/api/json
 *             and the session cookie that request set (Jenkins ≥ 2.176.2); an API token needs neither.
 *             Jobs from config.xml (createItem, POST config.xml), builds through the queue
 *             (Location: /queue/item/N/ → executable.number → building/result), token generation.
 *   Gitea   — orgs, repos (auto_init adds README.md), the recursive git tree with blob shas, and
 *             repoChangeFiles, which refuses an update or delete whose sha is not the current one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gitBlobSha } from '../../scripts/lib/gitea.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(handler: (req: RecordedRequest, res: ServerResponse, base: string) => void) {
  const requests: RecordedRequest[] = [];
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      handler(rec, res, base);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const send = (res: ServerResponse, status: number, body: unknown = '', headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

const basic = (req: RecordedRequest) => {
  const h = req.headers.authorization;
  if (!h?.startsWith('Basic ')) return undefined;
  const [user, ...rest] = Buffer.from(h.slice(6), 'base64').toString().split(':');
  return { user, secret: rest.join(':') };
};

export interface FakeJenkinsOptions {
  user: string;
  password: string;
  token?: string;
  /** The result each new build ends with. */
  result?: string;
  /** How many polls a queue item waits, and a build runs, before moving on. */
  queuePolls?: number;
  buildPolls?: number;
  /**
   * Jenkins' own URL as configured (JCasC `unclassified.location.url`, which the chart sets from
   * `controller.jenkinsUrl`): Jenkins writes it into the absolute `url` of the objects its API returns
   * (hudson.model.Run#getAbsoluteUrl, exported as "url"). Default: the address this fake serves on.
   */
  rootUrl?: string;
}

export async function startFakeJenkins(o: FakeJenkinsOptions) {
  const jobs = new Map<string, string>();
  const builds = new Map<string, { number: number; polls: number; result: string }[]>();
  const queue = new Map<number, { job: string; polls: number; number?: number }>();
  let queueId = 0;
  const CRUMB = 'crumb-7f3a';
  const SESSION = 'JSESSIONID.a1b2=node0abc';
  const server = await serve((req, res, base) => {
    const url = new URL(req.path, 'http://x');
    const who = basic(req);
    const viaToken = who?.user === o.user && o.token !== undefined && who.secret === o.token;
    const viaPassword = who?.user === o.user && who.secret === o.password;
    if (!viaToken && !viaPassword) return send(res, 401, 'Unauthorized');
    if (req.method === 'GET' && url.pathname === '/crumbIssuer/api/json') return send(res, 200, { crumbRequestField: 'Jenkins-Crumb', crumb: CRUMB }, { 'set-cookie': `${SESSION}; Path=/; HttpOnly` });
    if (req.method === 'POST' && !viaToken) {
      const cookieOk = String(req.headers.cookie ?? '').includes(SESSION);
      if (req.headers['jenkins-crumb'] !== CRUMB || !cookieOk) return send(res, 403, 'No valid crumb was included in the request');
    }
    if (req.method === 'GET' && url.pathname === '/me/api/json') return send(res, 200, { id: o.user });
    if (req.method === 'POST' && url.pathname === '/me/descriptorByName/jenkins.security.ApiTokenProperty/generateNewToken') {
      return send(res, 200, { status: 'ok', data: { tokenName: new URLSearchParams(req.body).get('newTokenName'), tokenValue: 'generated-token' } });
    }
    if (req.method === 'POST' && url.pathname === '/createItem') {
      const name = url.searchParams.get('name')!;
      if (jobs.has(name)) return send(res, 400, `A job already exists with the name ${name}`);
      if (req.headers['content-type'] !== 'application/xml') return send(res, 415, 'Unsupported Media Type');
      jobs.set(name, req.body);
      return send(res, 200);
    }
    const m = /^\/job\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (m) {
      const name = decodeURIComponent(m[1]);
      const rest = m[2] ?? '';
      if (!jobs.has(name)) return send(res, 404, 'Not Found');
      if (rest === '/config.xml' && req.method === 'GET') return send(res, 200, jobs.get(name)!);
      if (rest === '/config.xml' && req.method === 'POST') return void (jobs.set(name, req.body), send(res, 200));
      if (rest === '/doDelete' && req.method === 'POST') return void (jobs.delete(name), send(res, 302, '', { location: `${base}/` }));
      if (rest === '/build' && req.method === 'POST') {
        const id = ++queueId;
        queue.set(id, { job: name, polls: 0 });
        return send(res, 201, '', { location: `${base}/queue/item/${id}/` });
      }
      const b = /^\/(\d+)\/api\/json$/.exec(rest);
      if (b && req.method === 'GET') {
        const build = builds.get(name)?.find((x) => x.number === Number(b[1]));
        if (!build) return send(res, 404, 'Not Found');
        build.polls++;
        const done = build.polls > (o.buildPolls ?? 1);
        return send(res, 200, { number: build.number, building: !done, result: done ? build.result : null });
      }
    }
    const q = /^\/queue\/item\/(\d+)\/api\/json$/.exec(url.pathname);
    if (q && req.method === 'GET') {
      const item = queue.get(Number(q[1]));
      if (!item) return send(res, 404, 'Not Found');
      item.polls++;
      if (item.polls <= (o.queuePolls ?? 1)) return send(res, 200, { id: Number(q[1]), why: 'Waiting for next available executor on ‘lab-builder’' });
      if (item.number === undefined) {
        const list = builds.get(item.job) ?? [];
        item.number = list.length + 1;
        list.push({ number: item.number, polls: 0, result: o.result ?? 'SUCCESS' });
        builds.set(item.job, list);
      }
      const root = (o.rootUrl ?? base).replace(/\/+$/, '');
      return send(res, 200, { id: Number(q[1]), executable: { number: item.number, url: `${root}/job/${encodeURIComponent(item.job)}/${item.number}/` } });
    }
    return send(res, 404, 'Not Found');
  });
  return { ...server, jobs, builds };
}

export async function startFakeGitea(login: { user: string; password: string }) {
  const orgs = new Set<string>();
  const repos = new Map<string, Map<string, Buffer>>();
  const commits: { repo: string; message: string; files: { operation: string; path: string }[] }[] = [];
  const server = await serve((req, res) => {
    const url = new URL(req.path, 'http://x');
    const p = url.pathname.replace(/^\/api\/v1/, '');
    const who = basic(req);
    const authed = who?.user === login.user && who.secret === login.password;
    if (req.method !== 'GET' && !authed) return send(res, 401, { message: 'unauthorized' });
    if (req.method === 'GET' && p === '/version') return send(res, 200, { version: 'test' });
    const org = /^\/orgs\/([^/]+)$/.exec(p);
    if (org && req.method === 'GET') return orgs.has(org[1]) ? send(res, 200, { username: org[1] }) : send(res, 404, { message: 'not found' });
    if (p === '/orgs' && req.method === 'POST') {
      const body = JSON.parse(req.body);
      orgs.add(body.username);
      return send(res, 201, { username: body.username });
    }
    const create = /^\/orgs\/([^/]+)\/repos$/.exec(p);
    if (create && req.method === 'POST') {
      const body = JSON.parse(req.body);
      const full = `${create[1]}/${body.name}`;
      if (!orgs.has(create[1])) return send(res, 404, { message: 'org not found' });
      if (repos.has(full)) return send(res, 409, { message: 'repository already exists' });
      repos.set(full, new Map(body.auto_init ? [['README.md', Buffer.from(`# ${body.name}\n`)]] : []));
      return send(res, 201, { full_name: full, default_branch: body.default_branch });
    }
    const repo = /^\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(p);
    if (repo) {
      const files = repos.get(repo[1]);
      if (!files) return send(res, 404, { message: 'repo not found' });
      const rest = repo[2] ?? '';
      if (!rest && req.method === 'GET') return send(res, 200, { full_name: repo[1] });
      if (rest.startsWith('/git/trees/') && req.method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 1000);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = [...files].sort(([a], [b]) => a.localeCompare(b)).map(([path, c]) => ({ path, type: 'blob', sha: gitBlobSha(c) }));
        const slice = all.slice((page - 1) * perPage, page * perPage);
        return send(res, 200, { sha: 'tree', tree: slice, truncated: page * perPage < all.length, page, total_count: all.length });
      }
      if (rest === '/contents' && req.method === 'POST') {
        const body = JSON.parse(req.body) as { branch: string; message: string; files: { operation: string; path: string; content?: string; sha?: string }[] };
        for (const f of body.files) {
          const current = files.get(f.path);
          if (f.operation === 'create' && current) return send(res, 422, { message: `file ${f.path} already exists` });
          if ((f.operation === 'update' || f.operation === 'delete') && (!current || gitBlobSha(current) !== f.sha)) return send(res, 422, { message: `sha does not match for ${f.path}` });
        }
        for (const f of body.files) {
          if (f.operation === 'delete') files.delete(f.path);
          else files.set(f.path, Buffer.from(f.content ?? '', 'base64'));
        }
        commits.push({ repo: repo[1], message: body.message, files: body.files.map(({ operation, path }) => ({ operation, path })) });
        return send(res, 201, { commit: { sha: `c${commits.length}` } });
      }
    }
    return send(res, 404, { message: 'not found' });
  });
  return { ...server, orgs, repos, commits };
}
