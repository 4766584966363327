// Lets TypeScript (tsc --noEmit, which checks docs/.vitepress/**/*.ts) import the theme's .vue files.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
