/**
 * The shell blocks of the docs pages, as a learner copies them: every ```sh / ```bash / ```shell
 * fence, and every `<<< @/…` include of a shell file (or a region of one), in page order. Used by
 * test/kit/docs-commands.test.ts to prove each one runs as shown in a new terminal at the
 * repository root.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_DIR, ROOT } from '../../src/paths.js';

export interface ShellBlock {
  /** The page, relative to docs/ (e.g. `en/strategies/s1-recreate.md`). */
  page: string;
  /** 1-based line of the page where the block starts. */
  line: number;
  /** The text the learner copies. */
  text: string;
  /** Where the text comes from: the page itself, or the included file and region. */
  from: string;
}

const SHELL = /^(sh|bash|shell|zsh)$/;

/** The text of `# region name` … `# endregion name` in a file (VitePress's region syntax for shell files). */
function region(file: string, name: string | undefined): string {
  const text = readFileSync(file, 'utf8');
  if (!name) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*#\\s*region\\s+${name}\\s*$`).test(l));
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^\\s*#\\s*endregion\\s+${name}\\s*$`).test(l));
  if (start < 0 || end < 0) throw new Error(`${file}: no region ${name}`);
  return lines.slice(start + 1, end).join('\n');
}

export function shellBlocks(page: string): ShellBlock[] {
  const source = readFileSync(join(DOCS_DIR, page), 'utf8').split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < source.length; i++) {
    const line = source[i];
    const fence = /^(\s*)(`{3,})(\w*)/.exec(line);
    if (fence) {
      const close = source.findIndex((l, j) => j > i && l.trim().startsWith(fence[2]) && l.trim() === fence[2]);
      if (close < 0) throw new Error(`${page}:${i + 1}: unclosed code fence`);
      if (SHELL.test(fence[3])) {
        const indent = fence[1].length;
        blocks.push({ page, line: i + 1, text: source.slice(i + 1, close).map((l) => l.slice(indent)).join('\n'), from: page });
      }
      i = close;
      continue;
    }
    // <<< @/../path/file.sh#region{sh}  (the language in braces, else the file's extension)
    const include = /^<<<\s+@\/(\S+?)(?:#([\w-]+))?(?:\{(\w+)[^}]*\})?\s*$/.exec(line.trim());
    if (include) {
      const [, path, name, lang] = include;
      const file = join(DOCS_DIR, path);
      const language = lang ?? path.split('.').pop() ?? '';
      if (SHELL.test(language)) blocks.push({ page, line: i + 1, text: region(file, name), from: `${join(path).replace(/^\.\.\//, '')}${name ? `#${name}` : ''}` });
    }
  }
  return blocks;
}

/** A block's commands: continuation lines joined, comments removed, split at control operators. */
export function commands(text: string): string[][] {
  const joined = text.replace(/\\\n/g, ' ');
  const out: string[][] = [];
  for (const rawLine of joined.split('\n')) {
    const line = stripComment(rawLine);
    // Split on ; && || | and the openers of command substitutions and compound commands.
    for (const part of line.split(/;|&&|\|\||\||\$\(|`|\(|\)/)) {
      const words = shellWords(part);
      while (words.length && /^(do|then|else|if|while|until|!|\{|\}|done|fi)$/.test(words[0])) words.shift();
      while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
      // What is left of `[ … "$(…)" ]` after the substitution is cut out.
      while (words.length && /^\s*\]?\s*$/.test(words[0])) words.shift();
      if (words.length) out.push(words);
    }
  }
  return out;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** Words of a command, quotes removed (enough to read command names and flags). */
function shellWords(part: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let any = false;
  for (const c of part) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      any = true;
    } else if (/\s/.test(c)) {
      if (word || any) words.push(word);
      word = '';
      any = false;
    } else word += c;
  }
  if (word || any) words.push(word);
  return words.filter((w) => !/^[<>]|^\d?>/.test(w));
}

/** Variables a block reads (`$x`, `${x}`), and the ones it sets (`x=`, `for x in`, `read x`). */
export function variables(text: string): { read: string[]; set: string[] } {
  const code = text.split('\n').map(stripComment).join('\n');
  // Single-quoted text is literal: no expansion there.
  const expanding = code.replace(/'[^']*'/g, "''");
  const read = [...expanding.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  const set = [
    ...[...code.matchAll(/(?:^|[\s;(])([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]),
    ...[...code.matchAll(/\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g)].map((m) => m[1]),
    ...[...code.matchAll(/\bread\s+(?:-\w+\s+)*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]),
  ];
  return { read: [...new Set(read)], set: [...new Set(set)] };
}

/** The repository-relative path of an executable the block runs directly (labs/…, solutions/…). */
export const repoScript = (word: string) => (/^(labs|solutions|scripts)\//.test(word) ? word : undefined);

export const ROOT_DIR = ROOT;
