/** Hashes of what an image or a file is made of, so that a change is seen and an unchanged thing is left alone. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * What a source folder is made of: its files' paths relative to it (with `/`), names sorted within
 * each folder, node_modules and .git left out. What an image is built from (sourceHash) and what
 * `git-push` commits to Gitea (gitea.ts collectFiles) are the same files.
 */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(d, name);
      const rel = prefix ? posix.join(prefix, name) : name;
      if (statSync(path).isDirectory()) walk(path, rel);
      else files.push(rel);
    }
  };
  walk(dir, '');
  return files;
}

/** A folder's files (names and contents, node_modules and .git left out), in 16 hex digits. */
export function sourceHash(dir: string): string {
  const hash = createHash('sha256');
  for (const rel of sourceFiles(dir)) hash.update(rel).update('\0').update(readFileSync(join(dir, rel))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** A file's SHA-256, in hex. */
export const fileSha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
