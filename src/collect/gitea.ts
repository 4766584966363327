/**
 * Gitea collector: the branches of each repository and the commit each points to
 * (GET /api/v1/repos/{owner}/{repo}/branches, Gitea API "repoListBranches"; items
 * `{name, commit: {id}}`, paged with ?page=&limit=).
 */
import { NetworkError, request } from '../http.js';
import type { Unavailable } from '../snapshot.js';

export async function collectGit(
  repositories: string[],
  endpoint: { url: string; auth?: { user: string; password: string } },
): Promise<{ repositories: Record<string, { branches: Record<string, string> }>; unavailable: Unavailable[] }> {
  const base = endpoint.url.replace(/\/+$/, '');
  const out: Record<string, { branches: Record<string, string> }> = {};
  const unavailable: Unavailable[] = [];
  for (const repo of repositories) {
    const branches: Record<string, string> = {};
    try {
      let found = true;
      for (let page = 1; ; page++) {
        const path = `/api/v1/repos/${repo}/branches?page=${page}&limit=50`;
        const res = await request(`${base}${path}`, { basicAuth: endpoint.auth, headers: { accept: 'application/json' }, timeoutMs: 10_000 });
        if (res.status === 404) {
          found = false;
          break;
        }
        if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
        const items = JSON.parse(res.body) as { name: string; commit: { id: string } }[];
        for (const b of items) branches[b.name] = b.commit.id;
        if (items.length < 50) break;
      }
      if (found) out[repo] = { branches };
    } catch (error) {
      const why = error instanceof NetworkError ? error.reason : (error as Error).message;
      unavailable.push({ source: 'git', what: repo, message: `cannot read the branches of ${repo} from Gitea at ${base}: ${why}` });
    }
  }
  return { repositories: out, unavailable };
}
