// The default VitePress theme, with the kit's few styles and its diagrams.
//
// The diagrams are registered as async components: their code and styles are separate chunks that
// a page loads only when it uses one (docs.test.ts proves that a page without a diagram loads no
// diagram chunk). In Markdown: <TrafficDiagram kind="canary"> or <PipelineDiagram variant="overview">,
// with the step captions as an ordered list inside (see components/DiagramFrame.vue).
import { defineAsyncComponent } from 'vue';
import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
// The Korean web font, regular and bold, in slices by unicode-range: a page loads only the slices of
// the characters it shows (see style.css).
import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/700.css';
import './style.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('TrafficDiagram', defineAsyncComponent(() => import('./components/TrafficDiagram.vue')));
    app.component('PipelineDiagram', defineAsyncComponent(() => import('./components/PipelineDiagram.vue')));
  },
};

export default theme;
