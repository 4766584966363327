/**
 * `<!-- @checks: <lab> -->` in a page becomes the lab's checks table, from labs/<lab>/lab.yaml,
 * in the page's language (pages under en/ are English), followed on a lab's page by how to ask for
 * escalating hints (`npm run hint`). `<!-- @checks: all -->` lists every lab.
 * `<!-- @labs: <level> -->` becomes the list of a level's labs with their goals.
 * The table is generated before parsing, so it is rendered server-side and indexed by search; a
 * misspelled lab id fails the build.
 */
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { catalog, docsRoute, getLab, pageLang, prerequisites, siteRoot, type Lab } from '../../../src/catalog.js';
import type { Lang } from '../../../src/i18n.js';

const DIRECTIVE = /^<!--\s*@checks:\s*([\w-]+)\s*-->$/gm;
const LABS_DIRECTIVE = /^<!--\s*@labs:\s*([\w-]+)\s*-->$/gm;

// Titles and hints are text, not HTML: `l1-<N>` must not open a tag.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;');

/** Under a lab's checks table: how to ask for escalating help with a failing check (`npm run hint`). */
export function hintLine(lab: Lab, lang: Lang): string {
  const check = lab.checks[0].id;
  return lang === 'ko'
    ? `막혔다면 \`npm run hint -- ${lab.id}\`을 실행하세요. 채점한 뒤 실패한 검사마다 물을 때마다 한 단계씩 더 알려 줍니다: 먼저 무엇을 볼지(힌트), 다음에는 읽을 절과 손볼 정확한 필드나 명령, 마지막에는 이 페이지에 있는 참고 풀이의 해당 부분입니다. 검사 하나만 물으려면 \`npm run hint -- ${lab.id} ${check}\`처럼 검사 id를 붙입니다. 검사를 통과하면 그 검사의 힌트는 처음부터 다시 시작하고, 힌트를 본 횟수는 강사에게 내는 채점 파일에 함께 담깁니다([명령 모음](/reference/commands#hint)).`
    : `Stuck? Run \`npm run hint -- ${lab.id}\`. It grades the lab, then for each failing check shows one more level each time you ask: first what to look at (the hint), then the section to read and the exact field or command, and last the part of the reference solution this page shows. To ask about one check, add its id: \`npm run hint -- ${lab.id} ${check}\`. When a check passes, its hints start again from the first; how many hints you saw goes into the grade file you hand in ([Commands](/en/reference/commands#hint)).`;
}

export function checksTable(lab: Lab, lang: Lang, withLab = false): string {
  const head = lang === 'ko' ? ['검사', '통과 조건', '무엇을 배우나'] : ['Check', 'Passes when', 'What it teaches'];
  const prefix = siteRoot(lang);
  const rows = lab.checks.map((c) => {
    const id = withLab ? `[\`${lab.id}\`](${prefix}${docsRoute(lab)}) · \`${c.id}\`` : `<span id="check-${c.id}"></span>\`${c.id}\``;
    return `| ${id} | ${cell(c.title[lang])} | ${cell(c.hint[lang])} ([↗](${prefix}${docsRoute(lab)}#${c.docs})) |`;
  });
  return [`| ${head.join(' | ')} |`, '|---|---|---|', ...rows].join('\n');
}

/**
 * The labs of a level as a list: built ones linked, the others marked as coming; then how to catch
 * up (`lab start --catch-up`), naming what each lab builds on (`requires:` of lab.yaml).
 */
export function labList(level: string, lang: Lang, pending: string[]): string {
  const labs = catalog().labs.filter((lab) => lab.level === level);
  if (!labs.length) throw new Error(`@labs: no labs in level "${level}"`);
  const ko = lang === 'ko';
  const prefix = siteRoot(lang);
  const list = labs
    .map((lab) => {
      const title = `${lab.id} · ${lab.title[lang]}`;
      return pending.includes(lab.id)
        ? `- ${title} — ${ko ? '준비 중' : 'coming soon'}\n\n  ${lab.goal[lang]}`
        : `- [${title}](${prefix}${docsRoute(lab)})\n\n  ${lab.goal[lang]}`;
    })
    .join('\n');
  const building = labs.filter((lab) => !pending.includes(lab.id) && prerequisites(lab).length);
  const catchUp = building.length
    ? [
        ko
          ? '**앞 실습을 건너뛰었다면** 실습을 `--catch-up`으로 시작하세요. 그 실습이 이어 가는 앞 실습을 과정 순서로 채점해, 통과하는 것은 그대로 두고 나머지에만 정답을 적용한 뒤 시작합니다(`--dry-run`은 계획만 보여 줍니다):'
          : '**Skipped a lab these build on?** Start the lab with `--catch-up`: it grades the labs it builds on in course order, keeps those that pass as they are, applies the reference solution to the others, then starts it (`--dry-run` shows only the plan):',
        '',
        ...building.map((lab) => `- ${lab.id}${ko ? ': ' : ' builds on '}${prerequisites(lab).map((l) => l.id).join(', ')}${ko ? ' 위에서 시작' : ''}`),
        '',
        '```sh',
        `npm run lab -- start ${building[0].id} --catch-up --dry-run`,
        `npm run lab -- start ${building[0].id} --catch-up`,
        '```',
      ]
    : [
        ko
          ? '**따라잡을 것이 없습니다**: 이 실습들은 다른 실습의 결과 위에서 시작하지 않으므로, 플랫폼만 있으면 어느 것이든 `npm run lab -- start <실습>`으로 시작합니다(`--catch-up`도 시작만 합니다).'
          : '**Nothing to catch up on**: these labs build on no other lab, so each starts from the platform alone with `npm run lab -- start <lab>`, in any order (`--catch-up` only starts it).',
      ];
  return [list, '', ...catchUp].join('\n');
}

export function checksTablePlugin(md: MarkdownIt, options: { pending: () => string[] }): void {
  md.core.ruler.before('normalize', 'cicd-lab-checks', (state) => {
    const page: string = state.env?.relativePath ?? '';
    const lang = pageLang(page);
    state.src = state.src.replace(DIRECTIVE, (_match, id: string) => {
      if (id === 'all') {
        const pending = options.pending();
        return catalog()
          .labs.filter((lab) => !pending.includes(lab.id))
          .map((lab) => checksTable(lab, lang, true))
          .join('\n\n');
      }
      const lab = getLab(id);
      return `${checksTable(lab, lang)}\n\n${hintLine(lab, lang)}`;
    });
    state.src = state.src.replace(LABS_DIRECTIVE, (_match, level: string) => labList(level, lang, options.pending()));
  });
}
