/** Downloading a file over HTTP(S): used by `up` (the Rollouts plugin), `prefetch` and `tools`. */
import { createWriteStream, mkdirSync, renameSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { DOWNLOAD_REDIRECTS } from '../../src/http.js';

/**
 * Download to a file, following redirects, streaming (the Rollouts plugin is ~78 MB). The file appears
 * only once complete (written as `<file>.part`, then renamed), so an interrupted download is not taken
 * for a finished one.
 */
export async function download(url: string, file: string, redirects = DOWNLOAD_REDIRECTS): Promise<void> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  await new Promise<void>((resolve, reject) => {
    get(url, (res: IncomingMessage) => {
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
        res.resume();
        download(new URL(res.headers.location, url).toString(), file, redirects - 1).then(resolve, reject);
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} → ${res.statusCode}`));
        return;
      }
      mkdirSync(dirname(file), { recursive: true });
      const out = createWriteStream(`${file}.part`);
      res.pipe(out);
      out.on('finish', () => {
        renameSync(`${file}.part`, file);
        resolve();
      });
      out.on('error', reject);
    }).on('error', reject);
  });
}
