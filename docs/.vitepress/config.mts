// The course site: Korean at /, English at /en/. Nav, sidebar and check tables come
// from the lab catalog; code comes from the repository's files (strict-snippets fails the build
// on a missing include); dead links fail the build (VitePress's default).
import { defineConfig } from 'vitepress';
import { catalog } from '../../src/catalog.js';
import { checksTablePlugin } from './plugins/checks-table.js';
import { formatFieldsPlugin } from './plugins/format-fields.js';
import { strictSnippetsPlugin } from './plugins/strict-snippets.js';
import { koreanProcessTerm } from './search-ko.js';
import { labBlocksPlugin } from './plugins/lab-blocks.js';
import { langCommentsPlugin } from './plugins/lang-comments.js';
import { wideCharsPlugin } from './plugins/wide-chars.js';
import { nav, prevNext, sidebar } from './sidebar.js';
import { readVersionGroups, versionsSearchText } from './versions.js';

// Pages whose content is partly rendered by Vue from a data loader: the search index gets that
// content as text too (see versions.ts).
const VERSIONS_PAGE = /^(en\/)?reference\/versions\.md$/;

const codespaceHosts = process.env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN ? [`.${process.env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN}`] : [];

export default defineConfig({
  title: 'cicd-lab',
  description: 'CI/CD on Kubernetes, by doing',
  cleanUrls: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  lastUpdated: false,
  // Previous/next links follow the course's one order (sidebar.ts `course()`), whatever the sidebar holds.
  transformPageData(pageData) {
    const { prev, next } = prevNext(pageData.relativePath);
    pageData.frontmatter.prev ??= prev;
    pageData.frontmatter.next ??= next;
  },
  srcExclude: ['**/README.md'],
  markdown: {
    config(md) {
      checksTablePlugin(md, { pending: () => catalog().pending });
      formatFieldsPlugin(md);
      labBlocksPlugin(md);
      strictSnippetsPlugin(md);
      wideCharsPlugin(md);
      langCommentsPlugin(md);
    },
  },
  locales: {
    root: {
      label: '한국어',
      lang: 'ko-KR',
      description: '쿠버네티스에서 직접 해 보며 배우는 CI/CD',
      themeConfig: {
        nav: nav('ko'),
        sidebar: sidebar('ko'),
        outline: { label: '이 페이지에서', level: [2, 3] },
        docFooter: { prev: '이전', next: '다음' },
        darkModeSwitchLabel: '테마',
        sidebarMenuLabel: '메뉴',
        returnToTopLabel: '맨 위로',
        langMenuLabel: '언어',
      },
    },
    en: {
      label: 'English',
      lang: 'en-US',
      link: '/en/',
      description: 'CI/CD on Kubernetes, by doing',
      themeConfig: { nav: nav('en'), sidebar: sidebar('en'), outline: { level: [2, 3] } },
    },
  },
  themeConfig: {
    search: {
      provider: 'local',
      options: {
        // Korean words carry particles and endings ("서비스를", "배포합니다"): index and search
        // their stems too (search-ko.ts). English terms are only lower-cased, as by default.
        miniSearch: { options: { processTerm: koreanProcessTerm } },
        _render(src, env, md) {
          const html = md.render(src, env);
          if (env.frontmatter?.search === false) return '';
          return VERSIONS_PAGE.test(env.relativePath) ? `${html}\n${versionsSearchText(readVersionGroups())}` : html;
        },
        locales: {
          root: {
            translations: {
              button: { buttonText: '검색', buttonAriaLabel: '검색' },
              modal: {
                displayDetails: '자세히 보기',
                resetButtonTitle: '지우기',
                backButtonTitle: '닫기',
                noResultsText: '결과가 없습니다',
                footer: { selectText: '선택', navigateText: '이동', closeText: '닫기' },
              },
            },
          },
        },
      },
    },
  },
  // In a GitHub Codespace the browser reaches the docs at https://<codespace>-5173.<forwarding domain>:
  // Vite answers only host names it knows (server.allowedHosts), so the codespace's domain is one.
  vite: {
    server: { allowedHosts: codespaceHosts },
    preview: { allowedHosts: codespaceHosts },
  },
});
