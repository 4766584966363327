/**
 * reports/class.html: the class report as one self-contained page for a projector. Its style and
 * script (class-page/page.css, class-page/page.js) are inlined, no network (a
 * Content-Security-Policy forbids any request), no external fonts, so it opens from disk (file://). Large type, high contrast, and status marks that do not rely on
 * colour alone: ✓ pass, ✗ fail, – skipped, · not graded, on the Okabe–Ito blue/vermillion pair,
 * which people with any common colour-vision deficiency can tell apart.
 *
 * At the top: the check most of the room fails (where to stop and explain, also marked in the
 * matrix and the list of failing checks) and, per lab, who is stuck — started, not passed, most
 * stuck first — with how long ago they started and how many hints they needed.
 *
 * The matrix sorts by learner, progress, last graded or one lab's progress (the column headers
 * are buttons; the choice is kept in the address, #sort=…, so a reload keeps it). "Last graded"
 * shows the relative time, refreshed every minute by the page, and the absolute time.
 *
 * Everything that comes from the learners' files (names, messages, file paths) is escaped.
 */
import { readFileSync } from 'node:fs';
import { checkDocsLink } from '../catalog.js';
import { L, t, type Lang, type Localized } from '../i18n.js';
import { relativeTime } from './class-page/page.js';
import type { CellStatus, ClassReport } from './class-model.js';
import { displayPath } from './hand-ins.js';

/** The page's own files (class-page/), read once and inlined: the page makes no request. */
const pageFiles = new Map<string, string>();
function pageFile(name: 'page.css' | 'page.js'): string {
  if (!pageFiles.has(name)) pageFiles.set(name, readFileSync(new URL(`./class-page/${name}`, import.meta.url), 'utf8'));
  return pageFiles.get(name)!;
}

export interface HtmlOptions {
  /** Reload the page every so many seconds (for a projector while the report is re-run). */
  refreshSeconds?: number;
  /**
   * Served by `class-report --watch` (class-watch.ts): the page listens to the server's events and
   * reloads itself when a new report is ready; `version` names the report it shows.
   */
  live?: { version: number };
  /** Initial order of the matrix: name (default), progress or graded. */
  sort?: 'name' | 'progress' | 'graded';
}

/** Escape text for HTML content and attribute values. */
export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const MARK: Record<CellStatus, string> = { pass: '✓', fail: '✗', skip: '–', none: '·' };
const CLASS: Record<CellStatus, string> = { pass: 'p', fail: 'f', skip: 's', none: 'n' };

const W = {
  title: L('반 현황', 'Class report'),
  pass: L('통과', 'pass'),
  fail: L('실패', 'fail'),
  skip: L('건너뜀', 'skipped'),
  none: L('채점 안 됨', 'not graded'),
  labs: L('실습별 완료', 'Completion per lab'),
  lab: L('실습', 'Lab'),
  complete: L('완료한 학습자', 'Learners complete'),
  started: L('채점받은 학습자', 'Learners graded'),
  checksPassed: L('통과한 검사', 'Checks passed'),
  room: L('학습자 × 검사', 'Learners × checks'),
  learner: L('학습자', 'Learner'),
  progress: L('진행도', 'Progress'),
  graded: L('마지막 채점', 'Last graded'),
  sortHint: L('열 제목을 누르면 그 기준으로 정렬합니다. 한 번 더 누르면 반대로 정렬합니다.', 'Click a column heading to sort by it; click again to reverse.'),
  failing: L('가장 많이 실패한 검사', 'Most often failing checks'),
  noFailing: L('실패한 검사가 없습니다.', 'No check is failing.'),
  hint: L('힌트', 'Hint'),
  docs: L('문서', 'Docs'),
  skipped: L('반영하지 않은 파일', 'Files left out'),
  notes: L('참고', 'Notes'),
  snapshot: L('스냅샷', 'snapshot'),
  expected: L('기대', 'expected'),
  observed: L('관찰', 'observed'),
  nobody: L('아직 채점 결과를 낸 학습자가 없습니다.', 'No learner has handed in a grade yet.'),
  stuck: L('막힌 학습자', 'Who is stuck'),
  stuckHelp: L(
    '실습마다, 시작했지만 아직 통과하지 못한 학습자입니다. 가장 오래전에 시작한 사람이 먼저, 같으면 힌트를 많이 본 사람이 먼저입니다.',
    'Per lab, the learners who started it and have not passed it yet: the one who started longest ago first, then the one who needed the most hints.',
  ),
  nobodyStuck: L('막힌 학습자가 없습니다. 시작한 실습을 모두 통과했습니다.', 'Nobody is stuck: every lab started has been passed.'),
  startedCol: L('시작', 'Started'),
  unknownStart: L('알 수 없음', 'unknown'),
  hintsCol: L('힌트', 'Hints'),
  passedCol: L('통과', 'Passed'),
  openCol: L('남은 검사', 'Checks still open'),
  hotspot: L('여기서 멈추고 설명하세요', 'Stop and explain here'),
  live: L('실시간: 새 제출물이 오면 바로 바뀝니다', 'Live: updates as hand-ins arrive'),
};

const pct = (n: number, of: number) => (of ? Math.round((100 * n) / of) : 0);

/** The locale the page formats dates in, per language. */
const LOCALE: Record<Lang, string> = { ko: 'ko-KR', en: 'en-GB' };

/** Local date and time, in the instructor's time zone (TZ) and language. */
export function absoluteTime(when: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(when);
}

function legend(lang: Lang): string {
  const item = (s: CellStatus, w: Localized) => `<span><span class="k ${CLASS[s]}" aria-hidden="true">${MARK[s]}</span>${esc(t(w, lang))}</span>`;
  return `<p class="legend">${item('pass', W.pass)}${item('fail', W.fail)}${item('skip', W.skip)}${item('none', W.none)}</p>`;
}

const bar = (fraction: number) => `<span class="bar" aria-hidden="true"><i style="width:${Math.round(fraction * 100)}%"></i></span>`;

function labsSection(r: ClassReport): string {
  const lang = r.lang;
  const n = r.learners.length;
  const rows = r.labs.map((l) => {
    const cells = n * l.checks.length;
    return `<tr><th scope="row"><code>${esc(l.lab.id)}</code> <span class="labtitle">${esc(t(l.lab.title, lang))}</span></th>` +
      `<td class="num">${bar(n ? l.complete / n : 0)}<strong>${l.complete}</strong> / ${n} (${pct(l.complete, n)}%)</td>` +
      `<td class="num">${l.started} / ${n}</td>` +
      `<td class="num">${pct(l.passed, cells)}%</td></tr>`;
  });
  return `<section id="labs"><h2>${esc(t(W.labs, lang))}</h2><table><thead><tr><th>${esc(t(W.lab, lang))}</th><th>${esc(t(W.complete, lang))}</th><th>${esc(t(W.started, lang))}</th><th>${esc(t(W.checksPassed, lang))}</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function matrixSection(r: ClassReport): string {
  const lang = r.lang;
  const checks = r.labs.flatMap((l) => l.checks.map((check) => ({ lab: l.lab, check })));
  const total = checks.length;
  const sortButton = (key: string, label: string, extra = '') => `<button type="button" data-sort="${esc(key)}" aria-pressed="false"${extra}>${label}</button>`;
  const head1 = [
    `<th rowspan="2" class="learner" scope="col" aria-sort="none">${sortButton('name', esc(t(W.learner, lang)))}</th>`,
    `<th rowspan="2" scope="col" aria-sort="none">${sortButton('progress', esc(t(W.progress, lang)))}</th>`,
    `<th rowspan="2" scope="col" aria-sort="none">${sortButton('graded', esc(t(W.graded, lang)))}</th>`,
    ...r.labs.map((l, i) => `<th colspan="${l.checks.length}" class="labhead g" scope="colgroup" aria-sort="none">${sortButton(`lab${i}`, `<code>${esc(l.lab.id)}</code>`, ` title="${esc(t(l.lab.title, lang))}"`)}</th>`),
  ].join('');
  // the first check of each lab starts a group (a thick rule on its left)
  const starts = new Set<number>();
  r.labs.reduce((at, l) => (starts.add(at), at + l.checks.length), 0);
  const g = (i: number) => (starts.has(i) ? ' g' : '');
  const hot = r.hotspot ? `${r.hotspot.lab.id}/${r.hotspot.check.id}` : '';
  const h = (i: number) => (`${checks[i].lab.id}/${checks[i].check.id}` === hot ? ' hot' : '');
  const head2 = checks.map(({ check }, i) => `<th class="check${g(i)}${h(i)}" scope="col" title="${esc(t(check.title, lang))}"><span>${esc(check.id)}</span></th>`).join('');

  const rows = r.learners.map((learner) => {
    const perLab: number[] = [];
    let at = 0;
    for (const l of r.labs) {
      perLab.push(learner.cells.slice(at, at + l.checks.length).filter((c) => c.status === 'pass').length);
      at += l.checks.length;
    }
    const cells = learner.cells.map((cell, i) => {
      const c = cell.check;
      let title = '';
      if (cell.status === 'fail' && c) {
        const lines = [`${checks[i].lab.id}/${checks[i].check.id}: ${t(W.fail, lang)}`];
        if (c.expected !== undefined) lines.push(`${t(W.expected, lang)}: ${c.expected}`);
        if (c.observed !== undefined) lines.push(`${t(W.observed, lang)}: ${c.observed}`);
        if (c.expected === undefined && c.observed === undefined) lines.push(c.message);
        title = ` title="${esc(lines.join('\n'))}"`;
      } else if (cell.status === 'skip' && c) {
        title = ` title="${esc(`${checks[i].lab.id}/${checks[i].check.id}: ${c.message}`)}"`;
      }
      return `<td class="${CLASS[cell.status]}${g(i)}${h(i)}"${title}>${MARK[cell.status]}</td>`;
    });
    const ts = learner.gradedAt.getTime();
    const snap = learner.mode === 'snapshot' ? ` · ${esc(t(W.snapshot, lang))}` : '';
    const labsDone = t(L(`실습 ${learner.labsComplete}/${r.labs.length} 완료`, `${learner.labsComplete}/${r.labs.length} labs complete`), lang);
    return `<tr data-name="${esc(learner.name)}" data-passed="${learner.counts.pass}" data-failed="${learner.counts.fail}" data-ts="${ts}" data-labs="${perLab.join(',')}">` +
      `<th scope="row" title="${esc(displayPath(learner.file))}">${esc(learner.name)}</th>` +
      `<td class="prog">${bar(total ? learner.counts.pass / total : 0)}${learner.counts.pass}/${total}<small>${labsDone}</small></td>` +
      `<td class="when"><time datetime="${learner.gradedAt.toISOString()}" data-rel="${ts}">${esc(relativeTime(learner.gradedAt, r.generatedAt, lang))}</time><small>${esc(absoluteTime(learner.gradedAt, lang))}${snap}</small></td>` +
      cells.join('') + '</tr>';
  });

  const body = r.learners.length ? rows.join('\n') : `<tr><td colspan="${3 + total}">${esc(t(W.nobody, lang))}</td></tr>`;
  return `<section id="room"><h2>${esc(t(W.room, lang))}</h2><p class="help">${esc(t(W.sortHint, lang))}</p>` +
    `<div class="scroll"><table id="matrix"><thead><tr>${head1}</tr><tr>${head2}</tr></thead><tbody>\n${body}\n</tbody></table></div></section>`;
}

function failingSection(r: ClassReport): string {
  const lang = r.lang;
  const n = r.learners.length;
  if (!r.failing.length) return `<section id="failing"><h2>${esc(t(W.failing, lang))}</h2><p>${esc(t(W.noFailing, lang))}</p></section>`;
  const SHOWN = 15;
  const items = r.failing.map((f) => {
    const k = f.learners.length;
    const count = t(L(`${n}명 중 ${k}명 실패`, `failing for ${k} of ${n}`), lang);
    const names = f.learners.slice(0, SHOWN).map(esc).join(', ') + (k > SHOWN ? t(L(` 외 ${k - SHOWN}명`, ` and ${k - SHOWN} more`), lang) : '');
    const link = checkDocsLink(f.lab, f.check, lang);
    const docs = /^https?:\/\//.test(link) ? `<a href="${esc(link)}">${esc(link)}</a>` : `<code>${esc(link)}</code>`;
    return `<li${f === r.hotspot ? ' class="hot"' : ''}><p class="what"><span class="count" title="${esc(count)}">${k}</span><code>${esc(f.lab.id)}</code> · <code>${esc(f.check.id)}</code> — ${esc(t(f.check.title, lang))}</p>` +
      `<p>${esc(count)} (${pct(k, n)}%)</p>` +
      `<p><strong>${esc(t(W.hint, lang))}:</strong> ${esc(t(f.check.hint, lang))}</p>` +
      `<p><strong>${esc(t(W.docs, lang))}:</strong> ${docs}</p>` +
      `<p class="who">${names}</p></li>`;
  });
  return `<section id="failing"><h2>${esc(t(W.failing, lang))}</h2><ol>${items.join('')}</ol></section>`;
}

/** The check most of the room fails, as a banner at the top: where to stop and explain. */
function hotspotSection(r: ClassReport): string {
  const h = r.hotspot;
  if (!h) return '';
  const lang = r.lang;
  const n = r.learners.length;
  const k = h.learners.length;
  const count = t(L(`${n}명 중 ${k}명 실패 (${pct(k, n)}%)`, `failing for ${k} of ${n} (${pct(k, n)}%)`), lang);
  return `<section id="hotspot" class="hot" data-check="${esc(`${h.lab.id}/${h.check.id}`)}"><h2>${esc(t(W.hotspot, lang))}</h2>` +
    `<p class="what"><code>${esc(h.lab.id)}</code> · <code>${esc(h.check.id)}</code> — ${esc(t(h.check.title, lang))}</p>` +
    `<p>${esc(count)}</p><p><strong>${esc(t(W.hint, lang))}:</strong> ${esc(t(h.check.hint, lang))}</p></section>`;
}

/** Per lab, the learners who started it and have not passed it, most stuck first (class-report.ts, mostStuckFirst). */
function stuckSection(r: ClassReport): string {
  const lang = r.lang;
  const hot = r.hotspot ? `${r.hotspot.lab.id}/${r.hotspot.check.id}` : '';
  const labs = r.labs.filter((l) => l.stuck.length);
  const head = `<section id="stuck"><h2>${esc(t(W.stuck, lang))}</h2><p class="help">${esc(t(W.stuckHelp, lang))}</p>`;
  if (!labs.length) return `${head}<p>${esc(t(r.learners.length ? W.nobodyStuck : W.nobody, lang))}</p></section>`;
  const tables = labs.map((l) => {
    const rows = l.stuck.map((s) => {
      const started = s.startedAt
        ? `<time datetime="${s.startedAt.toISOString()}" data-rel="${s.startedAt.getTime()}">${esc(relativeTime(s.startedAt, r.generatedAt, lang))}</time><small>${esc(absoluteTime(s.startedAt, lang))}</small>`
        : `<span class="unknown">${esc(t(W.unknownStart, lang))}</span>`;
      const open = s.open.map((id) => (`${l.lab.id}/${id}` === hot ? `<code class="hot">${esc(id)}</code>` : `<code>${esc(id)}</code>`)).join(' ');
      return `<tr data-name="${esc(s.name)}"><th scope="row">${esc(s.name)}</th><td class="when">${started}</td><td class="num">${s.hints}</td><td class="num">${s.passed}/${l.checks.length}</td><td>${open}</td></tr>`;
    });
    return `<h3><code>${esc(l.lab.id)}</code> <span class="labtitle">${esc(t(l.lab.title, lang))}</span> <span class="n">${l.stuck.length}</span></h3>` +
      `<table class="stuck" data-lab="${esc(l.lab.id)}"><thead><tr><th scope="col">${esc(t(W.learner, lang))}</th><th scope="col">${esc(t(W.startedCol, lang))}</th><th scope="col">${esc(t(W.hintsCol, lang))}</th><th scope="col">${esc(t(W.passedCol, lang))}</th><th scope="col">${esc(t(W.openCol, lang))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  });
  return `${head}${tables.join('')}</section>`;
}

function listSection(id: string, heading: Localized, items: { file: string; text: Localized }[], lang: Lang): string {
  if (!items.length) return '';
  const lis = items.map((i) => `<li><code>${esc(displayPath(i.file))}</code> — ${esc(t(i.text, lang))}</li>`).join('');
  return `<section id="${id}"><details${items.length <= 10 ? ' open' : ''}><summary><h2 style="display:inline">${esc(t(heading, lang))} (${items.length})</h2></summary><ul>${lis}</ul></details></section>`;
}

export function renderClassHtml(r: ClassReport, options: HtmlOptions = {}): string {
  const lang = r.lang;
  const n = r.learners.length;
  const heading = t(W.title, lang);
  const when = `${absoluteTime(r.generatedAt, lang)} (${r.generatedAt.toISOString()})`;
  const meta = t(L(`학습자 ${n}명 · 실습 ${r.labs.length}개 · ${when} 기준`, `${n} learners · ${r.labs.length} labs · as of ${when}`), lang);
  const title = r.title ? `${heading} — ${r.title}` : heading;
  const refresh = options.refreshSeconds && options.refreshSeconds > 0 ? Math.round(options.refreshSeconds) : 0;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:;${options.live ? " connect-src 'self';" : ''} base-uri 'none'; form-action 'none'">
<meta name="generator" content="cicd-lab class-report">
<title>${esc(title)}</title>
<style>${pageFile('page.css')}</style>
</head>
<body data-sort="${options.sort ?? 'name'}" data-refresh="${refresh}" data-generated="${r.generatedAt.toISOString()}"${options.live ? ` data-live="${options.live.version}"` : ''}>
<header><h1>${esc(heading)}${r.title ? ` <small>${esc(r.title)}</small>` : ''}</h1><p class="meta">${esc(meta)}</p>${options.live ? `<p class="live" id="live">${esc(t(W.live, lang))}</p>` : ''}${legend(lang)}</header>
<main>
${hotspotSection(r)}
${stuckSection(r)}
${labsSection(r)}
${matrixSection(r)}
${failingSection(r)}
${listSection('skipped', W.skipped, r.skipped.map((s) => ({ file: s.file, text: s.reason })), lang)}
${listSection('notes', W.notes, r.notes, lang)}
</main>
<script type="module">${pageFile('page.js')}</script>
</body>
</html>
`;
}
