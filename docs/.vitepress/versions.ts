/**
 * versions.json as rows for the docs (reference/versions.md), read generically: every entry is
 * shown, whatever its keys, so the page never needs editing when a version is added. Keys that
 * start with `$` (like `$comment`) are not versions and are left out; the `notes` object is not a
 * group either: each note (keyed `group` or `group.key`, e.g. `charts.jenkins`) is shown with the
 * group or row it explains — where the version comes from, and what could not be verified.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSIONS_FILE = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'versions.json');

export interface VersionRow {
  /** Dotted path below the group, e.g. `nodeImage` or `charts.argo-cd.version`. */
  key: string;
  value: string;
  /** notes["<group>.<first key>"], when there is one. */
  note?: string;
}
export interface VersionGroup {
  /** The top-level key of versions.json, e.g. `tools`. */
  name: string;
  /** notes["<group>"], when there is one. */
  note?: string;
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
  const { notes = {}, ...entries } = json as Record<string, unknown> & { notes?: Record<string, string> };
  return Object.entries(entries)
    .filter(([k]) => !k.startsWith('$'))
    .map(([name, value]) => {
      const rows: VersionRow[] = [];
      leaves(value, [], rows);
      // A top-level scalar is a group of one row with no key of its own.
      const group: VersionGroup = {
        name,
        rows: rows.map((r) => {
          const note = r.key ? notes[`${name}.${r.key.split('.')[0]}`] : undefined;
          return { key: r.key || name, value: r.value, ...(note ? { note } : {}) };
        }),
      };
      if (notes[name]) group.note = notes[name];
      return group;
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
  return groups.map((g) => `<p>${esc(g.name)}: ${g.rows.map((r) => esc(`${r.key} ${r.value}`)).join(' · ')}${g.note ? ` — ${esc(g.note)}` : ''}</p>`).join('\n');
}
