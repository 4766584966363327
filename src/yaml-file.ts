/**
 * YAML for the kit's own files (the catalog's lab.yaml files, platform.yaml), fast to read again.
 *
 * The yaml package reads about a megabyte a second: the catalog alone took longer to parse than all
 * the checks of a lab take to run, and `npm test` reads it every time a learner grades. So a file's
 * parsed value is kept as JSON in node_modules/.cache/cicd-lab/yaml, under a hash of its text (and
 * of the yaml package's version): an unchanged file is read back with JSON.parse, a changed one is
 * parsed again. The value is the same either way — YAML's core schema has no value JSON cannot hold
 * except ±.inf and .nan, and a file holding one is not cached. The yaml package itself is loaded
 * only when something must be parsed or written (`yaml()`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './paths.js';

const require = createRequire(import.meta.url);

/** The yaml package (https://eemeli.org/yaml/), loaded at first use. */
export const yaml = (): typeof import('yaml') => require('yaml');

export const YAML_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'cicd-lab', 'yaml');
let yamlVersion: string | undefined;

/** The value of a YAML text (one document), from the cache when this text was parsed before. */
export function parseYamlCached(text: string, cacheDir = YAML_CACHE_DIR): unknown {
  yamlVersion ??= (JSON.parse(readFileSync(require.resolve('yaml/package.json'), 'utf8')) as { version: string }).version;
  const file = join(cacheDir, `${createHash('sha256').update(yamlVersion).update('\0').update(text).digest('hex').slice(0, 32)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')).value;
  } catch {
    // not cached yet (or unreadable): parse it
  }
  const value = yaml().parse(text);
  const json = JSON.stringify({ value });
  if (json !== undefined && JSON.stringify({ value: JSON.parse(json).value }) === json && !hasNonFinite(value)) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, json);
      renameSync(partial, file);
    } catch {
      // a read-only checkout: parse every time
    }
  }
  return value;
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value && typeof value === 'object') return Object.values(value).some(hasNonFinite);
  return false;
}

/** A YAML file's value (see parseYamlCached). */
export function readYamlFile(file: string, cacheDir = YAML_CACHE_DIR): unknown {
  return parseYamlCached(readFileSync(file, 'utf8'), cacheDir);
}
