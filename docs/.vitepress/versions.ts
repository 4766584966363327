/**
 * versions.json as rows for the docs (reference/versions.md), read generically: every entry is
 * shown, whatever its keys, so the page never needs editing when a version is added. Keys that
 * start with `$` (like `$comment`) are notes, not versions, and are left out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSIONS_FILE = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'versions.json');

export interface VersionRow {
  /** Dotted path below the group, e.g. `nodeImage` or `charts.argo-cd.version`. */
  key: string;
  value: string;
}
export interface VersionGroup {
  /** The top-level key of versions.json, e.g. `tools`. */
  name: string;
  rows: VersionRow[];
}

function leaves(value: unknown, path: string[], out: VersionRow[]): void {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (!k.startsWith('$')) leaves(v, [...path, k], out);
  } else {
    out.push({ key: path.join('.'), value: String(value) });
  }
}

export function versionGroups(json: unknown): VersionGroup[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('versions.json: expected an object at the top level');
  return Object.entries(json as Record<string, unknown>)
    .filter(([k]) => !k.startsWith('$'))
    .map(([name, value]) => {
      const rows: VersionRow[] = [];
      leaves(value, [], rows);
      // A top-level scalar is a group of one row with no key of its own.
      return { name, rows: rows.map((r) => ({ key: r.key || name, value: r.value })) };
    });
}

export function readVersionGroups(file = VERSIONS_FILE): VersionGroup[] {
  return versionGroups(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * The same rows as HTML text for the search index: the page renders them with Vue, which the
 * index (built from the Markdown) does not see. Appended to the page's last section.
 */
export function versionsSearchText(groups: VersionGroup[]): string {
  const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  return groups.map((g) => `<p>${esc(g.name)}: ${g.rows.map((r) => esc(`${r.key} ${r.value}`)).join(' · ')}</p>`).join('\n');
}
