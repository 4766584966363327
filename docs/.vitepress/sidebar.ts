/** Nav and sidebar of both languages, built from the catalog so that a new lab appears by itself. */
import type { DefaultTheme } from 'vitepress';
import { catalog, docsRoute } from '../../src/catalog.js';
import type { Lang } from '../../src/i18n.js';

const text = {
  home: { ko: '처음으로', en: 'Home' },
  part0: { ko: '0부 — 파이프라인 설계', en: 'Part 0 — Designing a pipeline' },
  levels: { ko: '레벨 1–4', en: 'Levels 1–4' },
  strategies: { ko: '배포 전략', en: 'Deployment strategies' },
  reference: { ko: '참고', en: 'Reference' },
  checks: { ko: '모든 검사', en: 'Every check' },
  overview: { ko: '개요', en: 'Overview' },
};

const prefix = (lang: Lang) => (lang === 'ko' ? '/' : '/en/');

export function nav(lang: Lang): DefaultTheme.NavItem[] {
  const p = prefix(lang);
  return [
    { text: text.part0[lang], link: `${p}part-0/` },
    {
      text: text.levels[lang],
      items: catalog()
        .levels.filter((l) => l.id.startsWith('level-'))
        .map((l) => ({ text: l.title[lang], link: `${p}${l.id}/` })),
    },
    { text: text.strategies[lang], link: `${p}strategies/` },
    { text: text.reference[lang], link: `${p}reference/checks` },
  ];
}

export function sidebar(lang: Lang): DefaultTheme.SidebarItem[] {
  const p = prefix(lang);
  const { levels, labs, pending } = catalog();
  return [
    { text: text.part0[lang], link: `${p}part-0/` },
    ...levels.map((level) => ({
      text: level.title[lang],
      collapsed: false,
      items: [
        { text: text.overview[lang], link: `${p}${level.id}/` },
        ...labs
          .filter((lab) => lab.level === level.id && !pending.includes(lab.id))
          .map((lab) => ({ text: `${lab.id} · ${lab.title[lang]}`, link: `${p}${docsRoute(lab)}` })),
      ],
    })),
    { text: text.reference[lang], items: [{ text: text.checks[lang], link: `${p}reference/checks` }] },
  ];
}
