/**
 * VitePress includes code with `<<< @/path#region`. On its own it shows a placeholder for a
 * missing file and the whole file for a missing region; here both fail the build, so the docs can
 * never show code that is not in the repository.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
// The region rules VitePress applies, in the one module that states them (the hint command reads regions too).
import { hasRegion } from '../../../src/regions.js';

export function strictSnippetsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('cicd-lab-strict-snippets', (state) => {
    for (const token of state.tokens) {
      const src = (token as unknown as { src?: [string, string] }).src;
      if (!src) continue;
      const [file, region] = src;
      const page = state.env?.relativePath ?? '?';
      if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`${page}: included file not found: ${file}`);
      if (region && !hasRegion(readFileSync(file, 'utf8'), region)) throw new Error(`${page}: region "${region}" not found in ${file}`);
    }
  });
}
