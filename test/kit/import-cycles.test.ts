/**
 * No import cycles between the modules of src/ and scripts/: a cycle means two modules that cannot
 * be understood, tested or loaded one without the other (and, in ES modules, one of them sees the
 * other half-initialised). Every import counts — static, `import type`, `export … from` and
 * dynamic `import()` — since each one makes a module depend on another.
 *
 * KNOWN lists the cycles that remain today, each to be removed by separating the two concerns; a
 * new cycle fails, and so does an entry of KNOWN that no longer is a cycle (take it off the list).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';

const KNOWN: string[][] = [];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Module → the modules it imports (relative imports of the given files; `.js` specifiers name `.ts` files). */
export function importGraph(files: string[], read = (file: string) => readFileSync(file, 'utf8')): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(read(file), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolve(dirname(file), spec).replace(/\.(m?)js$/, '.$1ts'))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The cycles of a graph: its strongly connected components of more than one module (or a module importing itself), each sorted. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const key = (component: string[]) => [...component].sort().join(' ↔ ');

describe('import cycles', () => {
  it('finds a cycle through any number of modules, and none in a graph without one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(cycles(graph).map(key).sort()).toEqual(['a ↔ b ↔ c', 'e']);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('counts type-only imports, re-exports and dynamic import() as imports', () => {
    const texts: Record<string, string> = {
      '/m/a.ts': "import type { B } from './b.js';\nimport { readFileSync } from 'node:fs';",
      '/m/b.ts': "export { c } from './c.js';",
      '/m/c.ts': "export const c = () => import('./a.js');",
    };
    const graph = importGraph(Object.keys(texts), (f) => texts[f]);
    expect(Object.fromEntries(graph)).toEqual({ '/m/a.ts': ['/m/b.ts'], '/m/b.ts': ['/m/c.ts'], '/m/c.ts': ['/m/a.ts'] });
    expect(cycles(graph).map(key)).toEqual(['/m/a.ts ↔ /m/b.ts ↔ /m/c.ts']);
  });

  it('src/ and scripts/ have no import cycle but the known ones, and every known one is still there', () => {
    const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'scripts'))];
    const found = cycles(importGraph(files)).map((c) => key(c.map((f) => relative(ROOT, f))));
    expect(found.filter((c) => !KNOWN.map(key).includes(c)), 'new import cycles').toEqual([]);
    expect(KNOWN.map(key).filter((c) => !found.includes(c)), 'known cycles that are gone: take them off KNOWN').toEqual([]);
  });
});
