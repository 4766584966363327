/**
 * `<!-- @checks: <lab> -->` in a page becomes the lab's checks table, from labs/<lab>/lab.yaml,
 * in the page's language (pages under en/ are English). `<!-- @checks: all -->` lists every lab.
 * `<!-- @labs: <level> -->` becomes the list of a level's labs with their goals.
 * The table is generated before parsing, so it is rendered server-side and indexed by search; a
 * misspelled lab id fails the build.
 */
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { catalog, docsRoute, getLab, type Lab } from '../../../src/catalog.js';
import type { Lang } from '../../../src/i18n.js';

const DIRECTIVE = /^<!--\s*@checks:\s*([\w-]+)\s*-->$/gm;
const LABS_DIRECTIVE = /^<!--\s*@labs:\s*([\w-]+)\s*-->$/gm;

// Titles and hints are text, not HTML: `l1-<N>` must not open a tag.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;');

export function checksTable(lab: Lab, lang: Lang, withLab = false): string {
  const head = lang === 'ko' ? ['검사', '통과 조건', '무엇을 배우나'] : ['Check', 'Passes when', 'What it teaches'];
  const prefix = lang === 'ko' ? '/' : '/en/';
  const rows = lab.checks.map((c) => {
    const id = withLab ? `[\`${lab.id}\`](${prefix}${docsRoute(lab)}) · \`${c.id}\`` : `<span id="check-${c.id}"></span>\`${c.id}\``;
    return `| ${id} | ${cell(c.title[lang])} | ${cell(c.hint[lang])} ([↗](${prefix}${docsRoute(lab)}#${c.docs})) |`;
  });
  return [`| ${head.join(' | ')} |`, '|---|---|---|', ...rows].join('\n');
}

/** The labs of a level as a list: built ones linked, the others marked as coming. */
export function labList(level: string, lang: Lang, pending: string[]): string {
  const labs = catalog().labs.filter((lab) => lab.level === level);
  if (!labs.length) throw new Error(`@labs: no labs in level "${level}"`);
  const prefix = lang === 'ko' ? '/' : '/en/';
  return labs
    .map((lab) => {
      const title = `${lab.id} · ${lab.title[lang]}`;
      return pending.includes(lab.id)
        ? `- ${title} — ${lang === 'ko' ? '준비 중' : 'coming soon'}\n\n  ${lab.goal[lang]}`
        : `- [${title}](${prefix}${docsRoute(lab)})\n\n  ${lab.goal[lang]}`;
    })
    .join('\n');
}

export function checksTablePlugin(md: MarkdownIt, options: { pending: () => string[] }): void {
  md.core.ruler.before('normalize', 'cicd-lab-checks', (state) => {
    const page: string = state.env?.relativePath ?? '';
    const lang: Lang = page.startsWith('en/') ? 'en' : 'ko';
    state.src = state.src.replace(DIRECTIVE, (_match, id: string) => {
      if (id === 'all') {
        const pending = options.pending();
        return catalog()
          .labs.filter((lab) => !pending.includes(lab.id))
          .map((lab) => checksTable(lab, lang, true))
          .join('\n\n');
      }
      return checksTable(getLab(id), lang);
    });
    state.src = state.src.replace(LABS_DIRECTIVE, (_match, level: string) => labList(level, lang, options.pending()));
  });
}
