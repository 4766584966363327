/**
 * Where things live in the repository (CONTRIBUTING.md, "How the pieces fit"). One place, so that
 * nothing hard-codes a path twice.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LABS_DIR = join(ROOT, 'labs');
export const SOLUTIONS_DIR = join(ROOT, 'solutions');
export const GRADERS_DIR = join(ROOT, 'test', 'grade');
export const DOCS_DIR = join(ROOT, 'docs');
export const PLATFORM_DIR = join(ROOT, 'platform');
export const REPORTS_DIR = join(ROOT, 'reports');

export const graderFile = (lab: string) => join(GRADERS_DIR, `${lab}.test.ts`);

/** A path relative to the repository root, with forward slashes, for messages. */
export const rel = (path: string) => relative(ROOT, path).split('\\').join('/');
