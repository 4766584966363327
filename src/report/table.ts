/**
 * The terminal report: per lab, each check as a sentence (failures with expected, observed,
 * evidence, hint and docs), then one summary table last (ARCHITECTURE.md#grading; GitHub Skills'
 * result table). Columns line up by display width (./width.ts), so Korean tables line up too.
 */
import { resultDetails, type LabResult, type Status } from '../checks.js';
import { L, t, type Lang } from '../i18n.js';
import { displayWidth, padToWidth as pad } from './width.js';

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (useColor() ? `\u001b[${code}m${s}\u001b[0m` : s);
const green = paint(32);
const red = paint(31);
const dim = paint(2);
const bold = paint(1);

const words: Record<Status, { ko: string; en: string }> = {
  pass: L('통과', 'pass'),
  fail: L('실패', 'fail'),
  skip: L('건너뜀', 'skip'),
};
const mark: Record<Status, string> = { pass: '✓', fail: '✗', skip: '–' };
const color: Record<Status, (s: string) => string> = { pass: green, fail: red, skip: dim };

export function renderLab(lab: LabResult, lang: Lang): string {
  const lines = [bold(`${lab.lab} — ${t(lab.title, lang)}`)];
  for (const c of lab.checks) {
    lines.push(`  ${color[c.status](mark[c.status])} [${c.id}] ${t(c.title, lang)}`);
    for (const detail of resultDetails(c, lang)) lines.push(dim(`      ${detail}`));
  }
  return lines.join('\n');
}

export function renderTable(labs: LabResult[], lang: Lang): string {
  const head = lang === 'ko' ? ['실습', '검사', '결과'] : ['Lab', 'Check', 'Result'];
  const rows = labs.flatMap((lab) => lab.checks.map((c) => [lab.lab, c.id, `${mark[c.status]} ${t(words[c.status], lang)}`, c.status] as const));
  const widths = [0, 1, 2].map((i) => Math.max(displayWidth(head[i]), ...rows.map((r) => displayWidth(r[i]))));
  const line = (cells: readonly string[]) => `│ ${cells.map((c, i) => pad(c, widths[i])).join(' │ ')} │`;
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const out = [rule('┌', '┬', '┐'), line(head), rule('├', '┼', '┤')];
  for (const r of rows) {
    const text = line([r[0], r[1], r[2]]);
    out.push(r[3] === 'pass' ? text : text.replace(r[2], color[r[3]](r[2])));
  }
  out.push(rule('└', '┴', '┘'));
  const count = (s: Status) => rows.filter((r) => r[3] === s).length;
  out.push(
    lang === 'ko'
      ? `통과 ${count('pass')} · 실패 ${count('fail')} · 건너뜀 ${count('skip')} (전체 ${rows.length})`
      : `${count('pass')} passed · ${count('fail')} failed · ${count('skip')} skipped (of ${rows.length})`,
  );
  return out.join('\n');
}

export function renderReport(labs: LabResult[], lang: Lang): string {
  return `${labs.map((l) => renderLab(l, lang)).join('\n\n')}\n\n${renderTable(labs, lang)}`;
}
