/** Hashes of what an image or a file is made of, so that a change is seen and an unchanged thing is left alone. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A folder's files (names and contents, node_modules and .git left out), in 16 hex digits. */
export function sourceHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

/** A file's SHA-256, in hex. */
export const fileSha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
