/**
 * Nav, sidebar and the course's order, in both languages, built from the catalog so that a new lab
 * appears by itself. `course()` is the one course order (labs/levels.yaml, then each level's labs):
 * the sidebar, the home page's table and every page's previous/next links (config.mts) follow it.
 */
import type { DefaultTheme } from 'vitepress';
import { catalog, docsRoute, pageLang, siteRoot } from '../../src/catalog.js';
import type { Lang } from '../../src/i18n.js';

const text = {
  home: { ko: '처음으로', en: 'Home' },
  part0: { ko: '0부 — 파이프라인 설계', en: 'Part 0 — Designing a pipeline' },
  levels: { ko: '레벨 1–4', en: 'Levels 1–4' },
  strategies: { ko: '배포 전략', en: 'Deployment strategies' },
  reference: { ko: '참고', en: 'Reference' },
  checks: { ko: '모든 검사', en: 'Every check' },
  overview: { ko: '개요', en: 'Overview' },
  guides: { ko: '안내서', en: 'Guides' },
  // Shorter labels for the top bar, which must fit beside the search, language and theme buttons.
  navPart0: { ko: '0부', en: 'Part 0' },
  navLevels: { ko: '레벨', en: 'Levels' },
  navStrategies: { ko: '배포 전략', en: 'Strategies' },
  instructor: { ko: '강사 안내서', en: 'Instructor guide' },
  troubleshooting: { ko: '문제 해결', en: 'Troubleshooting' },
  commands: { ko: '명령과 옵션', en: 'Commands and options' },
  platform: { ko: '플랫폼', en: 'The platform' },
  formats: { ko: '파일 형식', en: 'File formats' },
  versions: { ko: '사용하는 버전', en: 'Versions in use' },
};


/** The reference pages, in order (a docs test checks that every sidebar link has its page). */
const REFERENCE = ['commands', 'platform', 'checks', 'formats', 'versions'] as const;

function referenceItems(lang: Lang): { text: string; link: string }[] {
  const p = siteRoot(lang);
  return REFERENCE.map((page) => ({ text: text[page][lang], link: `${p}reference/${page}` }));
}

export interface CourseStop {
  /** Site path, e.g. `/en/strategies/s1-recreate` or `/level-1/`. */
  link: string;
  /** What a previous/next link says: the page's own name, never a bare "Overview". */
  text: string;
}

/** Every page of the course in the order a learner takes them: Part 0, then each level's overview and labs. */
export function course(lang: Lang): CourseStop[] {
  const p = siteRoot(lang);
  const { levels, labs, pending } = catalog();
  return [
    { link: `${p}part-0/`, text: text.part0[lang] },
    ...levels.flatMap((level) => [
      { link: `${p}${level.id}/`, text: level.title[lang] },
      ...labs
        .filter((lab) => lab.level === level.id && !pending.includes(lab.id))
        .map((lab) => ({ link: `${p}${docsRoute(lab)}`, text: `${lab.id} · ${lab.title[lang]}` })),
    ]),
  ];
}

/** The site path of a page's source file (`en/level-1/index.md` → `/en/level-1/`). */
export function pagePath(relativePath: string): string {
  return `/${relativePath.replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '')}`;
}

/**
 * A page's previous and next links: its neighbours in the course, none at the course's ends, and
 * none for pages outside the course (home, guides, reference), which are not steps of it.
 */
export function prevNext(relativePath: string): { prev: CourseStop | false; next: CourseStop | false } {
  const lang = pageLang(relativePath);
  const stops = course(lang);
  const i = stops.findIndex((s) => s.link === pagePath(relativePath));
  if (i < 0) return { prev: false, next: false };
  return { prev: stops[i - 1] ?? false, next: stops[i + 1] ?? false };
}

export function nav(lang: Lang): DefaultTheme.NavItem[] {
  const p = siteRoot(lang);
  // The course's parts in its order (levels.yaml): the strategies track as one link, the levels as one menu.
  const ordered: DefaultTheme.NavItem[] = [];
  for (const level of catalog().levels) {
    if (!level.id.startsWith('level-')) ordered.push({ text: level.id === 'strategies' ? text.navStrategies[lang] : level.title[lang], link: `${p}${level.id}/` });
    else if (!ordered.some((item) => 'text' in item && item.text === text.navLevels[lang])) {
      ordered.push({
        text: text.navLevels[lang],
        items: catalog()
          .levels.filter((l) => l.id.startsWith('level-'))
          .map((l) => ({ text: l.title[lang], link: `${p}${l.id}/` })),
      });
    }
  }
  return [
    { text: text.navPart0[lang], link: `${p}part-0/` },
    ...ordered,
    {
      text: text.guides[lang],
      items: [
        { text: text.instructor[lang], link: `${p}instructor/` },
        { text: text.troubleshooting[lang], link: `${p}troubleshooting/` },
      ],
    },
    { text: text.reference[lang], items: referenceItems(lang) },
  ];
}

export function sidebar(lang: Lang): DefaultTheme.SidebarItem[] {
  const p = siteRoot(lang);
  const { levels, labs, pending } = catalog();
  return [
    { text: text.part0[lang], link: `${p}part-0/` },
    ...levels.map((level) => ({
      text: level.title[lang],
      collapsed: false,
      items: [
        { text: text.overview[lang], link: `${p}${level.id}/`, docFooterText: level.title[lang] },
        ...labs
          .filter((lab) => lab.level === level.id && !pending.includes(lab.id))
          .map((lab) => ({ text: `${lab.id} · ${lab.title[lang]}`, link: `${p}${docsRoute(lab)}` })),
      ],
    })),
    {
      text: text.guides[lang],
      items: [
        { text: text.instructor[lang], link: `${p}instructor/` },
        { text: text.troubleshooting[lang], link: `${p}troubleshooting/` },
      ],
    },
    { text: text.reference[lang], items: referenceItems(lang) },
  ];
}
