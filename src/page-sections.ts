/**
 * What one section of a lab's docs page shows of the solution: between the heading that carries
 * `{#anchor}` and the next heading of the same or a higher level (its subsections included), in
 * page order, the ```sh / ```bash / ```shell blocks and the `<<< @/../solutions/…` includes (read by
 * the rules the docs build uses, src/regions.ts). A check that is solved by running commands rather
 * than by writing one file (s6-rollback's `tried` and `undone`: a patch, then `kubectl rollout
 * undo`) names such a section as its `solution: page#<anchor>`, and `npm run hint` shows these as
 * its last level: the same text the page shows, whose shell blocks test/kit/docs-commands.test.ts
 * proves run as shown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regionText } from './regions.js';

const SHELL_FENCE = /^(sh|bash|shell)$/;

export interface SectionBlock {
  /** `sh` for a shell block of the page, else the included file (`solutions/…#region`). */
  from: string;
  text: string;
}

/**
 * The solution blocks of the section `{#anchor}` of a markdown page, or undefined when no heading
 * has the anchor. `root` is the repository root (`@/..` of the docs' includes).
 */
export function sectionBlocks(markdown: string, anchor: string, root: string): SectionBlock[] | undefined {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const heading = (line: string) => /^(#{1,6})\s/.exec(line)?.[1].length;
  const start = lines.findIndex((l) => heading(l) !== undefined && l.trimEnd().endsWith(`{#${anchor}}`));
  if (start < 0) return undefined;
  const level = heading(lines[start])!;
  const blocks: SectionBlock[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const fence = /^(`{3,})(\w*)/.exec(lines[i]);
    if (fence) {
      const close = lines.findIndex((l, j) => j > i && l.trim() === fence[1]);
      if (close < 0) break;
      if (SHELL_FENCE.test(fence[2])) blocks.push({ from: 'sh', text: lines.slice(i + 1, close).join('\n') });
      i = close;
      continue;
    }
    const h = heading(lines[i]);
    if (h !== undefined && h <= level) break;
    // <<< @/../solutions/<lab>/<file>#<region>{lang}: only the solution's files, not the starter's.
    const include = /^<<<\s+@\/\.\.\/(solutions\/\S+?)(?:#([\w*-]+))?(?:\{[^}]*\})?\s*$/.exec(lines[i].trim());
    if (include && existsSync(join(root, include[1]))) {
      const text = readFileSync(join(root, include[1]), 'utf8');
      const shown = include[2] ? regionText(text, include[2]) : text;
      if (shown !== undefined) blocks.push({ from: `${include[1]}${include[2] ? `#${include[2]}` : ''}`, text: shown.replace(/\n+$/, '') });
    }
  }
  return blocks;
}
