/**
 * The repository's own files, as git sees them: tracked, plus new files that are not ignored (so a
 * file about to be committed is scanned too), text only. Generated output (the docs' dist and cache,
 * reports, .lab/) is git-ignored and so left out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.js';

export function repositoryFiles(): string[] {
  const list = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  const files = [...new Set([...list(['ls-files']), ...list(['ls-files', '--others', '--exclude-standard'])])];
  return files.filter((f) => existsSync(join(ROOT, f)) && !/\.(png|jpe?g|gif|ico|svg|woff2?|tgz|zip)$/.test(f));
}
