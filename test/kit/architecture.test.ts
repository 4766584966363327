/**
 * The design lives in the repository: ARCHITECTURE.md states it, and code, docs and configuration
 * point there. So no file cites a design document kept outside the repository (which a reader of
 * the repository cannot open), and every link to a section of ARCHITECTURE.md — and every link the
 * architecture page itself makes — names a file and a section that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { repositoryFiles } from '../lib/repository-files.js';

// The patterns are assembled from parts, so that this file does not cite what it looks for.
const $ = (...parts: string[]) => parts.join('');
const OUTSIDE: { what: string; re: RegExp }[] = [
  { what: 'the design document', re: new RegExp($('DESIGN', '(?:\\.md|\\s*§\\s*\\d*)'), 'g') },
  { what: 'the style guide', re: new RegExp($('STYLE', '\\.md'), 'g') },
  { what: 'the platform notes', re: new RegExp($('PLATFORM', '[-_]NOTES'), 'g') },
  { what: 'a folder beside the repository', re: new RegExp($('\\.\\./', 'shared\\b'), 'g') },
];

/** Citations of documents outside the repository in a file's text: `path:line: match (what)`. */
function outsideCitations(path: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => OUTSIDE.flatMap(({ what, re }) => [...line.matchAll(re)].map((m) => `${path}:${i + 1}: ${m[0]} (${what})`)));
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * The anchors a Markdown file offers: each heading's (an explicit `{#id}` as VitePress writes it,
 * else GitHub's slug, numbered when repeated) and every `<a id|name="…">`. Fenced code is skipped.
 */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const explicit = /\{#([\w-]+)\}\s*$/.exec(heading[1]);
    if (explicit) {
      anchors.add(explicit[1]);
      continue;
    }
    const slug = githubSlug(heading[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

const ARCHITECTURE = 'ARCHITECTURE.md';
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Link {
  from: string;
  line: number;
  anchor: string;
}

/** Every `ARCHITECTURE.md#<section>` in the repository's files (and `](#<section>)` inside ARCHITECTURE.md). */
function architectureLinks(): Link[] {
  return repositoryFiles().flatMap((from) =>
    read(from)
      .split('\n')
      .flatMap((text, i) => {
        const links = [...text.matchAll(/ARCHITECTURE\.md#([\w-]+)/g)].map((m) => m[1]);
        if (from === ARCHITECTURE) links.push(...[...text.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]));
        return links.map((anchor) => ({ from, line: i + 1, anchor }));
      }),
  );
}

describe('the design lives in the repository', () => {
  it('no file of the repository cites a design document kept outside it', () => {
    const found = repositoryFiles().flatMap((f) => outsideCitations(f, read(f)));
    expect(found).toEqual([]);
  });

  it('recognises such citations, and not the architecture page or an ordinary word', () => {
    const flagged = (text: string) => outsideCitations('x.ts', text).map((c) => c.replace(/^x\.ts:\d+: /, ''));
    expect(flagged($('// Complete rollout (DESIGN', ' §4).'))).toEqual([$('DESIGN', ' §4 (the design document)')]);
    expect(flagged($('see ../', 'shared/', 'DESIGN', '.md'))).toEqual([$('DESIGN', '.md (the design document)'), $('../', 'shared (a folder beside the repository)')]);
    expect(flagged($('(', 'STYLE', '.md "versions in one place")'))).toEqual([$('STYLE', '.md (the style guide)')]);
    expect(flagged($('Verified: ', 'PLATFORM', '-NOTES.md.'))).toEqual([$('PLATFORM', '-NOTES (the platform notes)')]);
    expect(flagged('Complete rollout (ARCHITECTURE.md#complete-rollout); const DESIGN = {}; the design of the course')).toEqual([]);
  });

  it('every link to a section of ARCHITECTURE.md names one that exists', () => {
    const anchors = anchorsOf(read(ARCHITECTURE));
    const links = architectureLinks();
    // The comments of the code point here: a scan that found none would prove nothing.
    expect(links.filter((l) => l.from.startsWith('src/')).length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l.anchor)).map((l) => `${l.from}:${l.line}: ${ARCHITECTURE}#${l.anchor}`)).toEqual([]);
  });

  it('the architecture page has no two sections of the same name (each anchor is one section)', () => {
    const headings = read(ARCHITECTURE).split('\n').filter((l) => /^#{1,6}\s/.test(l)).map((l) => githubSlug(l.replace(/^#+/, '')));
    expect(headings.filter((h, i) => headings.indexOf(h) !== i)).toEqual([]);
  });

  it('the files and sections the architecture page, README.md and CONTRIBUTING.md link to exist', () => {
    const broken: string[] = [];
    for (const page of [ARCHITECTURE, 'README.md', 'CONTRIBUTING.md']) {
      for (const m of read(page).matchAll(/\]\(([^)\s#]+)(?:#([\w-]+))?\)/g)) {
        const [, target, anchor] = m;
        if (/^[a-z]+:/.test(target)) continue; // a URL
        const path = normalize(join(dirname(page), target));
        if (!existsSync(join(ROOT, path))) broken.push(`${page}: ${target} does not exist`);
        else if (anchor && path.endsWith('.md') && !anchorsOf(read(path)).has(anchor)) broken.push(`${page}: ${target}#${anchor}: no such section`);
      }
    }
    expect(broken).toEqual([]);
    expect(read('README.md')).toContain('](ARCHITECTURE.md)');
    expect(read('CONTRIBUTING.md')).toContain('](ARCHITECTURE.md)');
  });

  it('computes anchors as GitHub and VitePress do', () => {
    const anchors = anchorsOf(['# Title', '## Check rules', '### `up`: plan, observe, act', '## Runs X', '## Runs X', '```', '## not a heading', '```', '## What up builds {#what-up-builds}', '<a id="kept"></a>'].join('\n'));
    expect([...anchors]).toEqual(['title', 'check-rules', 'up-plan-observe-act', 'runs-x', 'runs-x-1', 'what-up-builds', 'kept']);
  });
});
