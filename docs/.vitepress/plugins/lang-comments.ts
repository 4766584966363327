/**
 * Comments in the code a learner edits are in the page's language. The starter files carry their
 * comments in both languages, each line tagged after its comment mark:
 *
 *   # en: v1 of the app, three replicas.          // en: …        -- en: …
 *   # ko: v1 앱, 복제본 3개.                        // ko: …        -- ko: …
 *
 * (in an editor the learner sees both). When a page includes such a file (`<<< @/…`), a Korean page
 * shows only the `ko:` lines and an English page only the `en:` lines, without their tags. Lines
 * without a tag are shown to both.
 *
 * It reads the included file itself — the region the way VitePress does (vitepress
 * src/node/markdown/plugins/snippet.ts: the lines between the markers, dedented) — and hands the
 * filtered text on as the block's content.
 */
import { readFileSync } from 'node:fs';
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { pageLang } from '../../../src/catalog.js';

const TAGGED = /^(\s*)(#|\/\/|--|<!--)\s?(ko|en):\s?/;
const REGION = [/^\/\/ ?#?(end)?region ([\w*-]+)$/, /^\/\* ?#(end)?region ([\w*-]+) ?\*\/$/, /^<!-- #?(end)?region ([\w*-]+) -->$/, /^# ?(end)?region ([\w*-]+)$/];

/** Keep the lines of this language (their tags removed) and the untagged ones. */
export function commentsIn(text: string, lang: 'ko' | 'en'): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const m = TAGGED.exec(line);
      if (!m) return [line];
      return m[3] === lang ? [`${m[1]}${m[2]} ${line.slice(m[0].length)}`.trimEnd()] : [];
    })
    .join('\n');
}

function region(text: string, name: string | undefined): string {
  if (!name) return text;
  const lines = text.split('\n');
  const marker = (line: string) => REGION.map((r) => r.exec(line.trim())).find(Boolean);
  const start = lines.findIndex((l) => marker(l)?.[2] === name && !marker(l)?.[1]);
  const end = lines.findIndex((l, i) => i > start && marker(l)?.[2] === name && marker(l)?.[1]);
  if (start < 0 || end < 0) return text;
  const body = lines.slice(start + 1, end).filter((l) => !marker(l));
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export function langCommentsPlugin(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx] as (typeof tokens)[number] & { src?: [string, string] };
    if (token.src) {
      const [file, name] = token.src;
      const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
      if (TAGGED.test(text) || text.split('\n').some((l) => TAGGED.test(l))) {
        const lang = pageLang(String(env?.relativePath ?? ''));
        (env as { includes?: string[] })?.includes?.push(file);
        token.content = commentsIn(region(text, name), lang);
        delete token.src;
      }
    }
    return fence(tokens, idx, options, env, self);
  };
}
