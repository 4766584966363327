/**
 * Gitea through its REST API (Gitea API v1, /api/v1; swagger at <gitea>/api/swagger):
 *   GET  /orgs/{org}                       orgGet              404 when absent
 *   POST /orgs                             orgCreate           CreateOrgOption {username, visibility}
 *   GET  /repos/{owner}/{repo}                                  404 when absent
 *   POST /orgs/{org}/repos                 createOrgRepo       CreateRepoOption {name, auto_init, default_branch, private}
 *   GET  /repos/{owner}/{repo}/git/trees/{ref}?recursive=true&page=&per_page=
 *                                          GetTree             {tree: [{path, type, sha}], truncated, page, total_count}
 *   POST /repos/{owner}/{repo}/contents    repoChangeFiles     ChangeFilesOptions {branch, message,
 *                                          files: [{operation: create|update|delete, path, content (base64), sha}]}
 * A commit is made only when something changes, so pushing the same files twice makes one commit:
 * the file's git blob id (sha1 of "blob <size>\0<content>") is compared with the tree's.
 *
 * The kit tests run it against a stand-in Gitea API; the e2e workflow against the chart's Gitea.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { request, type HttpResponse } from '../../src/http.js';
import { sourceFiles } from './content-hash.js';

export class GiteaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GiteaError';
  }
}

/** The id git gives a file's content. */
export const gitBlobSha = (content: Buffer) => createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');

/**
 * The files a step's `files` map names, as repository path → content: a file maps to one path, a
 * folder to every file under it (its own path prefix), skipping node_modules and .git.
 */
export function collectFiles(root: string, mapping: Record<string, string>): { files: Map<string, Buffer>; folders: string[] } {
  const files = new Map<string, Buffer>();
  const folders: string[] = [];
  for (const [repoPath, source] of Object.entries(mapping)) {
    const full = join(root, source);
    if (!existsSync(full)) throw new GiteaError(`${source} does not exist (git-push of ${repoPath})`);
    const target = repoPath.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (statSync(full).isDirectory()) {
      folders.push(target);
      for (const rel of sourceFiles(full)) files.set(posix.join(target, rel), readFileSync(join(full, rel)));
    } else files.set(target, readFileSync(full));
  }
  return { files, folders };
}

export interface FileChange {
  operation: 'create' | 'update' | 'delete';
  path: string;
  content?: string;
  sha?: string;
}

/**
 * What to commit so the repository holds `files`: creates and updates, and — inside the mapped
 * folders only — deletes of files the folder no longer has (a folder is mirrored; other paths of the
 * repository are left alone).
 */
export function planChanges(tree: Map<string, string>, files: Map<string, Buffer>, folders: string[]): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, content] of files) {
    const current = tree.get(path);
    if (current === undefined) changes.push({ operation: 'create', path, content: content.toString('base64') });
    else if (current !== gitBlobSha(content)) changes.push({ operation: 'update', path, content: content.toString('base64'), sha: current });
  }
  for (const [path, sha] of tree) {
    if (files.has(path)) continue;
    if (folders.some((f) => f === '' || path.startsWith(`${f}/`))) changes.push({ operation: 'delete', path, sha });
  }
  return changes;
}

export class GiteaClient {
  readonly base: string;

  constructor(
    url: string,
    readonly login: { user: string; password: string },
  ) {
    this.base = `${url.replace(/\/+$/, '')}/api/v1`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    return request(`${this.base}${path}`, {
      method,
      basicAuth: this.login,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: 30_000,
    });
  }

  private fail(what: string, res: HttpResponse): never {
    const hint = res.status === 401 || res.status === 403 ? ' (the login in .lab/credentials.json was refused; `npm run status` shows it)' : '';
    throw new GiteaError(`${what} → ${res.status}${hint}: ${res.body.trim().slice(0, 200)}`);
  }

  async ensureOrg(org: string): Promise<'created' | 'exists'> {
    const got = await this.call('GET', `/orgs/${org}`);
    if (got.status === 200) return 'exists';
    if (got.status !== 404) this.fail(`GET /orgs/${org}`, got);
    const res = await this.call('POST', '/orgs', { username: org, visibility: 'public' });
    if (res.status !== 201) this.fail('POST /orgs', res);
    return 'created';
  }

  async repoExists(repo: string): Promise<boolean> {
    const got = await this.call('GET', `/repos/${repo}`);
    if (got.status === 200) return true;
    if (got.status === 404) return false;
    return this.fail(`GET /repos/${repo}`, got);
  }

  /** Create `org/name` with a first commit on `branch` (auto_init), public so that Argo CD reads it without a login. */
  async ensureRepo(repo: string, branch = 'main'): Promise<'created' | 'exists'> {
    if (await this.repoExists(repo)) return 'exists';
    const [org, name] = repo.split('/');
    const res = await this.call('POST', `/orgs/${org}/repos`, { name, auto_init: true, default_branch: branch, private: false, description: 'The sample app of cicd-lab (seeded from labs/app by npm run up)' });
    if (res.status !== 201) this.fail(`POST /orgs/${org}/repos`, res);
    return 'created';
  }

  /** path → blob sha of every file on `ref`. */
  async tree(repo: string, ref: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let page = 1; ; page++) {
      const res = await this.call('GET', `/repos/${repo}/git/trees/${encodeURIComponent(ref)}?recursive=true&page=${page}&per_page=1000`);
      if (res.status !== 200) this.fail(`GET /repos/${repo}/git/trees/${ref}`, res);
      const body = JSON.parse(res.body) as { tree?: { path: string; type: string; sha: string }[]; truncated?: boolean; total_count?: number };
      const items = body.tree ?? [];
      for (const item of items) if (item.type === 'blob') out.set(item.path, item.sha);
      if (!body.truncated || items.length === 0) break;
    }
    return out;
  }

  /** Commit `files` (and deletions in mirrored `folders`) to `branch` in one commit; nothing when unchanged. */
  async commitFiles(repo: string, branch: string, files: Map<string, Buffer>, folders: string[], message: string): Promise<FileChange[]> {
    const changes = planChanges(await this.tree(repo, branch), files, folders);
    if (changes.length === 0) return [];
    const res = await this.call('POST', `/repos/${repo}/contents`, { branch, message, files: changes });
    if (res.status !== 201 && res.status !== 200) this.fail(`POST /repos/${repo}/contents`, res);
    return changes;
  }
}
