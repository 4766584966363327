/**
 * Display width, one home (src/report/width.ts, string-width underneath): the terminal report's
 * table, `npm run status` and the docs' code blocks line up by the columns a reader sees.
 */
import { describe, expect, it } from 'vitest';
import { alignWideChars } from '../../docs/.vitepress/plugins/wide-chars.js';
import type { LabResult } from '../../src/checks.js';
import { renderTable } from '../../src/report/table.js';
import { displayWidth, graphemes, padToWidth } from '../../src/report/width.js';

describe('display width', () => {
  it('counts a Hangul syllable and a full-width form as two columns, ASCII, box-drawing lines and arrows as one', () => {
    expect(displayWidth('실습 s1')).toBe(7);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('│─→…')).toBe(4);
  });

  it('counts what a reader sees as one character once: a combining accent takes no column, an emoji sequence two, colour codes none', () => {
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('👩‍💻')).toBe(2);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('\u001b[32m통과\u001b[0m')).toBe(4);
    expect(graphemes('e\u0301👩‍💻가')).toEqual(['e\u0301', '👩‍💻', '가']);
    expect(padToWidth('가', 4)).toBe('가  ');
  });

  it('lines the report table up when a cell holds such characters', () => {
    const x = { ko: 'x', en: 'x' };
    const lab: LabResult = { lab: 'café-e\u0301', title: x, checks: [{ lab: 'x', id: '👩‍💻-check', title: x, docs: x, status: 'pass', observed: 'x' }] };
    const lines = renderTable([lab], 'ko').split('\n').filter((l) => /^[│┌├└]/.test(l));
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
  });

  it('boxes each character of a code block outside ASCII once, in its width, keeping accents and emoji sequences whole', () => {
    expect(alignWideChars('<code>가 e\u0301 👩‍💻 →</code>')).toBe(
      '<code><span class="cl-w2">가</span> <span class="cl-w1">e\u0301</span> <span class="cl-w2">👩‍💻</span> <span class="cl-w1">→</span></code>',
    );
  });
});
