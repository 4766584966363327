/**
 * Jenkins through its REST API (https://www.jenkins.io/doc/book/using/remote-access-api/): create or
 * update a job from config.xml, trigger a build and follow it to its result, generate an API token.
 *
 * CSRF (https://www.jenkins.io/doc/book/security/csrf-protection/): POSTs authenticated with an API
 * token need no crumb. With a password they need a crumb from GET /crumbIssuer/api/json, sent back in
 * the header it names (`crumbRequestField`), and — since Jenkins 2.176.2 binds crumbs to the web
 * session — with the session cookie that request returned.
 *
 * The kit tests run it against a stand-in that enforces the crumb, the cookie and the queue →
 * build flow; the e2e workflow runs it against the chart's Jenkins.
 */
import { request, type HttpResponse } from '../../src/http.js';
import { jobPath } from '../../src/collect/jenkins.js';
import { waitFor } from '../../src/wait.js';

export interface JenkinsLogin {
  user: string;
  password: string;
  token?: string;
}

export class JenkinsError extends Error {
  constructor(
    message: string,
    readonly consoleUrl?: string,
  ) {
    super(message);
    this.name = 'JenkinsError';
  }
}

export interface BuildResult {
  number: number;
  result: string;
  url: string;
  consoleUrl: string;
}

export interface FollowOptions {
  timeoutMs?: number;
  intervalMs?: number;
  now?: () => number;
  pause?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

export class JenkinsClient {
  private crumb?: { field: string; value: string; cookie?: string };
  readonly base: string;

  constructor(
    url: string,
    readonly login: JenkinsLogin,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private auth() {
    return { user: this.login.user, password: this.login.token ?? this.login.password };
  }

  async get(path: string, accept = 'application/json'): Promise<HttpResponse> {
    return request(`${this.base}${path}`, { basicAuth: this.auth(), headers: { accept }, timeoutMs: 15_000 });
  }

  /** A crumb and its session cookie, fetched once (only needed without an API token). */
  private async crumbHeaders(): Promise<Record<string, string>> {
    if (this.login.token) return {};
    if (!this.crumb) {
      const res = await this.get('/crumbIssuer/api/json');
      if (res.status === 404) return {}; // CSRF protection off: no crumb needed
      if (res.status !== 200) throw new JenkinsError(`GET /crumbIssuer/api/json → ${res.status}: cannot get a CSRF crumb from ${this.base}`);
      const body = JSON.parse(res.body) as { crumbRequestField: string; crumb: string };
      const setCookie = res.headers['set-cookie'];
      const cookie = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(';')[0]).join('; ');
      this.crumb = { field: body.crumbRequestField, value: body.crumb, cookie: cookie || undefined };
    }
    return { [this.crumb.field]: this.crumb.value, ...(this.crumb.cookie ? { cookie: this.crumb.cookie } : {}) };
  }

  async post(path: string, body = '', contentType = 'application/x-www-form-urlencoded'): Promise<HttpResponse> {
    const headers = { 'content-type': contentType, ...(await this.crumbHeaders()) };
    return request(`${this.base}${path}`, { method: 'POST', basicAuth: this.auth(), headers, body, timeoutMs: 30_000 });
  }

  /**
   * Create the job, or update its config.xml when it differs. Returns what it did. A job inside a
   * folder (`folder/name`) is created in that folder, which must exist.
   */
  async upsertJob(name: string, configXml: string): Promise<'created' | 'updated' | 'unchanged'> {
    const path = jobPath(name);
    const existing = await this.get(`${path}/config.xml`, 'application/xml');
    if (existing.status === 200) {
      if (normalizeXml(existing.body) === normalizeXml(configXml)) return 'unchanged';
      const res = await this.post(`${path}/config.xml`, configXml, 'application/xml');
      if (res.status !== 200) throw new JenkinsError(`POST ${path}/config.xml → ${res.status}: Jenkins refused the job definition of ${name}: ${firstLine(res.body)}`);
      return 'updated';
    }
    if (existing.status !== 404) throw new JenkinsError(`GET ${path}/config.xml → ${existing.status}: cannot read job ${name}`);
    const parts = name.split('/');
    const leaf = parts.pop()!;
    const parent = parts.length ? jobPath(parts.join('/')) : '';
    const res = await this.post(`${parent}/createItem?name=${encodeURIComponent(leaf)}`, configXml, 'application/xml');
    if (res.status !== 200) throw new JenkinsError(`POST ${parent}/createItem?name=${leaf} → ${res.status}: Jenkins refused to create job ${name}: ${firstLine(res.body)}`);
    return 'created';
  }

  async deleteJob(name: string): Promise<boolean> {
    const res = await this.post(`${jobPath(name)}/doDelete`);
    if (res.status === 404) return false;
    if (res.status !== 200 && res.status !== 302) throw new JenkinsError(`POST ${jobPath(name)}/doDelete → ${res.status}`);
    return true;
  }

  /**
   * Trigger a build and follow it: the queue item (Location header of the POST) until it has an
   * executable, then the build until it is no longer building. Fails unless the result is SUCCESS,
   * naming the console URL.
   */
  async build(name: string, options: FollowOptions = {}): Promise<BuildResult> {
    const path = jobPath(name);
    let res = await this.post(`${path}/build`);
    // A parameterized job answers /build with 400; /buildWithParameters takes its defaults.
    if (res.status === 400) res = await this.post(`${path}/buildWithParameters`);
    if (res.status === 404) throw new JenkinsError(`There is no Jenkins job ${name} (POST ${path}/build → 404)`);
    if (res.status !== 201 && res.status !== 200) throw new JenkinsError(`POST ${path}/build → ${res.status}: ${firstLine(res.body)}`);
    const location = res.headers.location;
    if (!location) throw new JenkinsError(`POST ${path}/build answered ${res.status} without a queue item (Location header)`);
    const queuePath = new URL(location, `${this.base}/`).pathname.replace(/\/+$/, '');
    const timeoutMs = options.timeoutMs ?? 15 * 60_000;
    const started = (options.now ?? Date.now)();
    const wait = { intervalMs: options.intervalMs ?? 2000, now: options.now, pause: options.pause };
    const { number, url } = await waitFor<{ number: number; url?: string }>(
      async () => {
        const q = await this.get(`${queuePath}/api/json`);
        if (q.status !== 200) return { done: false, seen: `GET ${queuePath}/api/json → ${q.status}` };
        const item = JSON.parse(q.body) as { executable?: { number: number; url?: string }; cancelled?: boolean; why?: string };
        if (item.cancelled) throw new JenkinsError(`The build of ${name} was cancelled while it waited in the queue`);
        if (item.executable?.number) return { done: true, value: item.executable };
        return { done: false, seen: item.why ?? 'waiting in the queue' };
      },
      { what: `Jenkins build of ${name} to leave the queue`, timeoutMs, ...wait },
    );
    // The address a person opens: the build's `url` as Jenkins writes it (hudson.model.Run#getAbsoluteUrl,
    // exported as "url": Jenkins' configured URL + job path + number). up configures that URL
    // (controller.jenkinsUrl) as the browser reaches Jenkins, the forwarded port's address in a GitHub
    // Codespace, where the address the kit calls the API on (the gateway inside the codespace) opens nothing.
    const buildUrl = url?.endsWith('/') ? url : `${this.base}${path}/${number}/`;
    const consoleUrl = `${buildUrl}console`;
    options.log?.(`${name} #${number}: ${consoleUrl}`);
    const elapsed = (options.now ?? Date.now)() - started;
    const result = await waitFor<string>(
      async () => {
        const b = await this.get(`${path}/${number}/api/json`);
        if (b.status !== 200) return { done: false, seen: `GET ${path}/${number}/api/json → ${b.status}` };
        const build = JSON.parse(b.body) as { building: boolean; result: string | null };
        if (!build.building && build.result) return { done: true, value: build.result };
        return { done: false, seen: 'building' };
      },
      { what: `Jenkins build ${name} #${number} (${consoleUrl})`, timeoutMs: Math.max(timeoutMs - elapsed, 1000), ...wait },
    );
    if (result !== 'SUCCESS') throw new JenkinsError(`Jenkins build ${name} #${number} ended ${result}: read its log at ${consoleUrl}`, consoleUrl);
    return { number, result, url: buildUrl, consoleUrl };
  }

  /** A new API token for the logged-in user (needs the password, not a token). */
  async generateToken(tokenName: string): Promise<string> {
    const res = await this.post('/me/descriptorByName/jenkins.security.ApiTokenProperty/generateNewToken', `newTokenName=${encodeURIComponent(tokenName)}`);
    if (res.status !== 200) throw new JenkinsError(`POST /me/descriptorByName/jenkins.security.ApiTokenProperty/generateNewToken → ${res.status}`);
    const value = (JSON.parse(res.body) as { data?: { tokenValue?: string } }).data?.tokenValue;
    if (!value) throw new JenkinsError('Jenkins answered the token request without data.tokenValue');
    return value;
  }
}

/** Compare job definitions without caring about the XML declaration, indentation or line endings. */
export function normalizeXml(xml: string): string {
  return xml
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/\r\n/g, '\n')
    .replace(/>\s+</g, '><')
    .trim();
}

const firstLine = (text: string) => text.trim().split('\n')[0]?.slice(0, 200) ?? '';
