/**
 * Regions of a file, as VitePress reads them for `<<< @/path#name` includes: the lines between a
 * start marker and the matching end marker, without the marker lines of that style, de-indented.
 * The docs include solution regions this way and `npm run hint` shows the same text as its last
 * level, so both read a region by these rules (VitePress 1.6, src/node/markdown/plugins/snippet.ts,
 * `findRegion` and `dedent`).
 */

/** Start/end marker styles, in VitePress's order: the first style whose start marker names the region wins. */
export const REGION_MARKERS: readonly RegExp[] = [
  /^\/\/ ?#?((?:end)?region) ([\w*-]+)$/, // JavaScript, TypeScript, Groovy (Jenkinsfile)
  /^\/\* ?#((?:end)?region) ([\w*-]+) ?\*\/$/, // CSS, SQL block comments
  /^#pragma ((?:end)?region) ([\w*-]+)$/, // C, C++
  /^<!-- #?((?:end)?region) ([\w*-]+) -->$/, // HTML, XML, Markdown
  /^#((?:End )Region) ([\w*-]+)$/, // Visual Basic
  /^::#((?:end)region) ([\w*-]+)$/, // Bat
  /^# ?((?:end)?region) ([\w*-]+)$/, // YAML, shell, Python, …
];

function marks(line: string, style: RegExp, name: string, end: boolean): boolean {
  const [full, tag, found] = style.exec(line.trim()) ?? [];
  return Boolean(full && tag && found === name && (end ? /^[Ee]nd ?[rR]egion$/ : /^[rR]egion$/).test(tag));
}

/** Where a region is: the lines after its start marker up to its end marker, and the marker style. */
export function findRegion(lines: string[], name: string): { start: number; end: number; style: RegExp } | undefined {
  let style: RegExp | undefined;
  let start = -1;
  for (const [i, line] of lines.entries()) {
    if (!style) {
      style = REGION_MARKERS.find((s) => marks(line, s, name, false));
      if (style) start = i + 1;
    } else if (marks(line, style, name, true)) return { start, end: i, style };
  }
  return undefined;
}

/** True when the text has the region, start and end. */
export const hasRegion = (text: string, name: string): boolean => findRegion(text.replace(/\r\n/g, '\n').split('\n'), name) !== undefined;

function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = lines.reduce((min, line) => {
    for (let i = 0; i < line.length; i++) if (line[i] !== ' ' && line[i] !== '\t') return Math.min(i, min);
    return min;
  }, Infinity);
  return indent < Infinity ? lines.map((l) => l.slice(indent)).join('\n') : text;
}

/**
 * The region's text as the docs show it: the marker lines of its style (its own and nested ones)
 * left out, the common indentation removed. Undefined when the file has no such region.
 */
export function regionText(text: string, name: string): string | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const found = findRegion(lines, name);
  if (!found) return undefined;
  return dedent(lines.slice(found.start, found.end).filter((l) => !found.style.test(l.trim())).join('\n'));
}
