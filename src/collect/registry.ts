/**
 * Registry collector: the tags of each repository through the registry's HTTP API v2
 * (GET /v2/<name>/tags/list; the CNCF distribution spec, "Listing Tags"). An unknown repository
 * answers 404 NAME_UNKNOWN, which means "no tags yet". Paginated answers carry a Link header
 * `<…?n=…&last=…>; rel="next"`, which is followed.
 */
import { NetworkError, request } from '../http.js';
import type { Unavailable } from '../snapshot.js';

export async function collectRegistry(
  repositories: string[],
  baseUrl: string,
): Promise<{ repositories: Record<string, string[]>; unavailable: Unavailable[] }> {
  const base = baseUrl.replace(/\/+$/, '');
  const out: Record<string, string[]> = {};
  const unavailable: Unavailable[] = [];
  for (const name of repositories) {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${name}/tags/list`;
    try {
      while (path) {
        const res = await request(`${base}${path}`, { headers: { accept: 'application/json' }, timeoutMs: 10_000 });
        if (res.status === 404) break;
        if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${res.body.slice(0, 200)}`);
        tags.push(...((JSON.parse(res.body).tags as string[] | null) ?? []));
        const next = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''));
        path = next ? next[1] : undefined;
      }
      out[name] = tags;
    } catch (error) {
      const why = error instanceof NetworkError ? error.reason : (error as Error).message;
      unavailable.push({ source: 'registry', what: name, message: `cannot read the tags of ${name} from the registry at ${base}: ${why}` });
    }
  }
  return { repositories: out, unavailable };
}
