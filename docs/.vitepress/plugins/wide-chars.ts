/**
 * Code blocks line up by display width, as in a terminal: a Hangul syllable takes two columns, a
 * box-drawing line or an arrow one. Browsers do not promise that — a monospace font has no Hangul,
 * so Hangul comes from a proportional fallback, and box-drawing characters and arrows come from
 * whichever font has them, each at its own width — so a grader's Korean table or a diagram would
 * drift out of line. This wraps each character outside ASCII (a grapheme cluster: a letter with its
 * combining accent, an emoji sequence) in a box of exactly its display width in `ch` (the width of
 * the code font's "0"): `<span class="cl-w2">가</span>`. The widths come from
 * the same `displayWidth` the terminal report pads its tables with (src/report/width.ts).
 *
 * Only the text inside a code block's `<code>` is touched, never a tag or an attribute; copying a
 * block still copies its text, and the search index, which strips tags, still sees the words.
 */
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { displayWidth, graphemes } from '../../../src/report/width.js';

/** A character outside ASCII in a box of its width (a combining accent or an emoji sequence stays with its character). */
const box = (ch: string) => (/^[\u0000-\u007f]*$/.test(ch) || displayWidth(ch) === 0 ? ch : `<span class="cl-w${displayWidth(ch) === 2 ? 2 : 1}">${ch}</span>`);

/** Wraps each non-ASCII character of the text parts of this HTML in a span of its display width. */
export function alignWideChars(html: string): string {
  return html.replace(/(<code[^>]*>)([\s\S]*?)(<\/code>)/g, (_m, open: string, body: string, close: string) => {
    const aligned = body
      .split(/(<[^>]*>)/)
      .map((part) => (part.startsWith('<') ? part : graphemes(part).map(box).join('')))
      .join('');
    return `${open}${aligned}${close}`;
  });
}

export function wideCharsPlugin(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (...args) => alignWideChars(fence(...args));
}
