/**
 * "versions.json is the only place a version appears" (ARCHITECTURE.md#style), as a scan: find
 * pinned-looking versions in a file's text and keep those the rule does not allow.
 *
 * A pin is: an image or plugin reference with a dotted version (an image tag like `name:<x.y…>`, a
 * plugin like `name:<build>.v<hash>`), a digest (`sha256:` + 64 hex), a `--version X.Y.Z` flag, a release download or
 * `?ref=` of a version, and — outside test/ — any `vX.Y.Z`. Ordinary numbers (ports, addresses, times,
 * "Node 20.19", "1.5 s") are not pins.
 *
 * Allowed: nothing in files that can read versions.json (scripts, src, tests, docs: they must read
 * it). A file that cannot — a Dockerfile, a manifest applied as is (YAML under labs/, solutions/,
 * platform/), devcontainer.json, a workflow — may carry a pin only when it is exactly a value of
 * versions.json (so a stale copy fails).
 */
import type { Versions } from '../../scripts/lib/versions.js';

const PATTERNS: { name: string; re: RegExp; outsideTestsOnly?: boolean }[] = [
  // The name has a letter: `09:55:00.000Z` in a timestamp is not an image.
  { name: 'image or plugin with a version', re: /\b[a-z0-9._/-]*[a-z][a-z0-9._/-]*:v?\d+\.\d+[\w.+-]*/g },
  { name: 'Jenkins plugin version', re: /\b[a-z][a-z0-9-]*:\d+\.v[0-9a-f_]+\b/g },
  { name: 'digest', re: /sha256:[0-9a-f]{64}/g },
  { name: '--version flag', re: /--version[ =]v?\d+\.\d+\.\d+[\w.+-]*/g },
  { name: 'release or ref of a version', re: /(?:releases\/download\/|[?&]ref=)v?\d+\.\d+\.\d+[\w.+-]*/g },
  { name: 'vX.Y.Z', re: /\bv\d+\.\d+\.\d+(?:[-+][\w.]+)?\b/g, outsideTestsOnly: true },
];

/** Every string value of versions.json, except its explanations. */
export function pinnedValues(v: Versions): string[] {
  const out: string[] = [];
  const walk = (x: unknown, key = '') => {
    if (key === '$comment' || key === 'notes') return;
    if (typeof x === 'string') out.push(x);
    // Jenkins plugins are written `name:version` where a file lists them.
    if (key === 'jenkinsPlugins' && x && typeof x === 'object') for (const [name, version] of Object.entries(x)) out.push(`${name}:${version}`);
    else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) walk(y, k);
  };
  walk(v);
  return out;
}

/** Files whose format cannot read versions.json, so they may carry an exact copy of a pin. */
export function cannotReadJson(path: string): boolean {
  const base = path.split('/').pop() ?? '';
  if (/^Dockerfile/.test(base) || base === 'Containerfile') return true;
  if (path === '.devcontainer/devcontainer.json' || path.startsWith('.github/workflows/')) return true;
  return /\.(ya?ml)$/.test(base) && /^(labs|solutions|platform)\//.test(path) && !path.includes('/templates/');
}

export interface Stray {
  path: string;
  line: number;
  match: string;
  pattern: string;
}

export function strayVersions(path: string, text: string, v: Versions): Stray[] {
  const values = pinnedValues(v);
  const isTest = path.startsWith('test/');
  const copyAllowed = cannotReadJson(path);
  const out: Stray[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, i) => {
    const seen = new Set<string>();
    for (const { name, re, outsideTestsOnly } of PATTERNS) {
      if (outsideTestsOnly && isTest) continue;
      for (const m of lineText.matchAll(re)) {
        const token = m[0];
        if ([...seen].some((s) => s.includes(token))) continue;
        seen.add(token);
        const isCopy = values.some((value) => value === token || value.includes(token) && (value.startsWith(token) || value.endsWith(token)));
        if (copyAllowed && isCopy) continue;
        out.push({ path, line: i + 1, match: token, pattern: name });
      }
    }
  });
  return out;
}
