// @ts-check
/**
 * The script of reports/class.html, inlined into the page when it is written (src/report/class-html.ts)
 * as a module script. Plain JavaScript, so the page runs it as it is here; type-checked by
 * `npm run typecheck` through the JSDoc types.
 *
 * - sorts the matrix by learner, progress, last graded or one lab's progress (the column headers are
 *   buttons), keeping the choice in the address (#sort=…) so a reload keeps it;
 * - keeps the "last graded" times current (every minute), with the same relativeTime() the report
 *   uses to write them;
 * - reloads the page every data-refresh seconds when asked (a projector while the report is re-run);
 * - served live (`class-report --watch`, data-live), reloads it when the server has a new report.
 *
 * Imported outside a browser (by the report, for relativeTime) it does nothing else.
 */

/**
 * "5 minutes ago", "in 2 hours", "now".
 * @param {Date} when
 * @param {Date} now
 * @param {string} lang
 * @returns {string}
 */
export function relativeTime(when, now, lang) {
  const s = (when.getTime() - now.getTime()) / 1000;
  const a = Math.abs(s);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (a < 60) return rtf.format(0, 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

/** @typedef {HTMLTableRowElement} Row */
/** @typedef {(a: Row, b: Row) => number} Order */
/** @typedef {'ascending' | 'descending'} Direction */

/**
 * Wires up the page: sorting, the relative times, the refresh.
 * @param {HTMLTableElement} table the matrix (#matrix)
 */
export function startPage(table) {
  const lang = document.documentElement.lang;
  const body = table.tBodies[0];
  const collator = new Intl.Collator(lang, { numeric: true, sensitivity: 'base' });
  /** @type {(row: Row, key: string) => number} */
  const num = (row, key) => Number(row.dataset[key]);
  /** @type {Order} */
  const byName = (a, b) => collator.compare(a.dataset.name ?? '', b.dataset.name ?? '');
  /** @type {(row: Row, i: number) => number} */
  const labPassed = (row, i) => Number((row.dataset.labs ?? '').split(',')[i]);
  /** @type {Record<string, Order>} */
  const orders = {
    name: byName,
    progress: (a, b) => num(b, 'passed') - num(a, 'passed') || num(a, 'failed') - num(b, 'failed') || byName(a, b),
    graded: (a, b) => num(a, 'ts') - num(b, 'ts') || byName(a, b),
  };
  /** @type {(key: string) => Order | undefined} */
  const order = (key) => {
    if (orders[key]) return orders[key];
    const lab = /^lab(\d+)$/.exec(key);
    if (lab) return (a, b) => labPassed(b, +lab[1]) - labPassed(a, +lab[1]) || orders.progress(a, b);
    return undefined;
  };
  // the direction each order takes first: names A→Z, most progress first, longest since graded first
  /** @type {(key: string) => Direction} */
  const natural = (key) => (key === 'name' || key === 'graded' ? 'ascending' : 'descending');
  /** @type {Record<Direction, Direction>} */
  const flip = { ascending: 'descending', descending: 'ascending' };
  /** @type {HTMLButtonElement[]} */
  const buttons = Array.from(table.querySelectorAll('thead button[data-sort]'));
  const head1 = () => table.style.setProperty('--head1', (table.tHead?.rows[0].getBoundingClientRect().height ?? 0) + 'px');
  head1();
  addEventListener('resize', head1);
  let current = '';
  /**
   * @param {string} key
   * @param {boolean} reverse
   */
  function sortBy(key, reverse) {
    const cmp = order(key);
    if (!cmp) return;
    const rows = Array.from(body.rows).sort(cmp);
    if (reverse) rows.reverse();
    body.append(...rows);
    for (const b of buttons) {
      const on = b.dataset.sort === key;
      const dir = on ? (reverse ? flip[natural(key)] : natural(key)) : 'none';
      b.closest('th')?.setAttribute('aria-sort', dir);
      b.setAttribute('aria-pressed', String(on));
      b.dataset.dir = dir;
    }
    current = (reverse ? '-' : '') + key;
    try {
      history.replaceState(null, '', '#sort=' + current);
    } catch {
      // some file:// settings refuse; sorting still works
    }
  }
  for (const b of buttons) {
    b.addEventListener('click', () => sortBy(b.dataset.sort ?? '', current === b.dataset.sort));
  }
  const wanted = /^#sort=(-?)(\w+)$/.exec(location.hash);
  sortBy(wanted ? wanted[2] : document.body.dataset.sort ?? 'name', wanted?.[1] === '-');

  function tick() {
    document.querySelectorAll('[data-rel]').forEach((el) => {
      if (el instanceof HTMLElement) el.textContent = relativeTime(new Date(Number(el.dataset.rel)), new Date(), lang);
    });
  }
  tick();
  setInterval(tick, 60000);
  const refresh = Number(document.body.dataset.refresh);
  if (refresh > 0) setTimeout(() => location.reload(), refresh * 1000);
  if (document.body.dataset.live !== undefined) listen(document.body.dataset.live);
}

/**
 * Served by `class-report --watch`: the server says which report it has (an event named `version`)
 * when the page connects and whenever a hand-in arrives; a version other than the page's reloads it
 * (the sort stays, it is in the address). EventSource reconnects by itself if the server restarts.
 * @param {string} shown the version of the report this page shows
 */
function listen(shown) {
  const events = new EventSource('events');
  const badge = document.getElementById('live');
  events.addEventListener('version', (e) => {
    badge?.classList.remove('lost');
    if (e instanceof MessageEvent && e.data !== shown) location.reload();
  });
  events.addEventListener('error', () => badge?.classList.add('lost'));
}

if (typeof document !== 'undefined') {
  const matrix = document.getElementById('matrix');
  if (matrix instanceof HTMLTableElement) startPage(matrix);
}
