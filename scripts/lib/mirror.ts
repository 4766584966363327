/**
 * Filling a pull-through mirror ahead of a workshop (`npm run prefetch`): pull each image through the
 * mirror with the registry API (Distribution spec, https://distribution.github.io/distribution/spec/api/):
 *   GET /v2/<name>/manifests/<ref>   an index (multi-arch) or a manifest, by the Accept header
 *   GET /v2/<name>/blobs/<digest>    the config and each layer
 * A mirror in proxy mode stores what it serves, so one pull here is what every node then gets from the
 * cache. Blobs are streamed and discarded: nothing is kept on this machine but the mirror's volume.
 */
import { get, type IncomingMessage } from 'node:http';
import { request } from '../../src/http.js';

export interface ImageRef {
  /** The registry host as image references name it (docker.io for Docker Hub). */
  registry: string;
  repository: string;
  /** A tag or a digest. */
  reference: string;
}

/** Parse an image reference the way Docker does: `node:24` → docker.io/library/node:24. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag = 'latest';
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { registry, repository: path, reference: digest ?? tag };
}

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Manifest {
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
  config?: { digest: string };
  layers?: { digest: string; size?: number }[];
}

/** GET a blob and throw its bytes away, counting them. */
function drain(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res: IncomingMessage) => {
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        res.resume();
        drain(new URL(res.headers.location, url).toString()).then(resolve, reject);
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} → ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Pull one image through a registry at `base` (http://host:port) for the given architectures:
 * the index, the manifest of each wanted platform (linux), its config and layers.
 */
export async function pullThrough(base: string, image: ImageRef, arches: string[]): Promise<{ manifests: number; blobs: number; bytes: number }> {
  const manifestUrl = (ref: string) => `${base}/v2/${image.repository}/manifests/${ref}`;
  const fetchManifest = async (ref: string): Promise<Manifest> => {
    const r = await request(manifestUrl(ref), { headers: { accept: MANIFEST_TYPES }, timeoutMs: 120_000 });
    if (r.status !== 200) throw new Error(`GET ${manifestUrl(ref)} → ${r.status}: ${r.body.slice(0, 200)}`);
    return JSON.parse(r.body) as Manifest;
  };
  const top = await fetchManifest(image.reference);
  const manifests: Manifest[] = [];
  let count = 1;
  if (top.manifests) {
    for (const m of top.manifests) {
      if (m.platform?.os !== 'linux' || !arches.includes(m.platform.architecture ?? '')) continue;
      manifests.push(await fetchManifest(m.digest));
      count++;
    }
    if (!manifests.length) throw new Error(`${image.repository}:${image.reference} has no linux image for ${arches.join(', ')}`);
  } else manifests.push(top);
  let blobs = 0;
  let bytes = 0;
  const seen = new Set<string>();
  for (const m of manifests) {
    for (const digest of [m.config?.digest, ...(m.layers ?? []).map((l) => l.digest)]) {
      if (!digest || seen.has(digest)) continue;
      seen.add(digest);
      bytes += await drain(`${base}/v2/${image.repository}/blobs/${digest}`);
      blobs++;
    }
  }
  return { manifests: count, blobs, bytes };
}
