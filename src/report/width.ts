/**
 * Display width: how many columns a string takes in a terminal or a monospace code block, counted by
 * string-width (Unicode's East Asian Width: a Hangul syllable takes two; combining marks and
 * zero-width joiners none; an emoji sequence two; colour codes none). The terminal report's table,
 * `npm run status`, the docs' code-block alignment (docs/.vitepress/plugins/wide-chars.ts) and the
 * docs tests all measure with it.
 */
import stringWidth from 'string-width';

/** Columns a string takes. */
export const displayWidth = (text: string): number => stringWidth(text);

/** The string, padded with spaces to `width` columns (as it looks, not as it counts in UTF-16). */
export const padToWidth = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The characters as a reader sees them (grapheme clusters: "é" written as e + a combining accent is one, so is 👩‍💻). */
export const graphemes = (text: string): string[] => Array.from(segmenter.segment(text), (s) => s.segment);
