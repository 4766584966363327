/**
 * The lab catalog (DESIGN §4): labs/levels.yaml, labs/<id>/lab.yaml and labs/pending.yaml.
 * Everything that lists labs or checks — the `lab` command, the graders, the reporters, the docs'
 * sidebar and check tables — reads it from here, so a title or a check id is written once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from './errors.js';
import { L, type Lang, type Localized } from './i18n.js';
import { LABS_DIR, rel } from './paths.js';
import { stepsSchema, type Step } from './lifecycle.js';
import { validator } from './schema.js';
import { readYamlFile } from './yaml-file.js';

export interface CheckSpec {
  id: string;
  title: Localized;
  /** States the goal and names the concept; never the command that solves it. */
  hint: Localized;
  /** Anchor (`{#anchor}`) of the section of the lab's docs page that teaches this check. */
  docs: string;
  /** What learners commonly get wrong for this check, and the fix (the lab page and troubleshooting show them). */
  troubles?: Trouble[];
}

export interface Trouble {
  /** What the learner sees (the grader's observation, or the cluster's). */
  symptom: Localized;
  /** The usual cause and how to fix it. */
  fix: Localized;
}

export interface Lab {
  id: string;
  level: string;
  order: number;
  title: Localized;
  goal: Localized;
  namespaces: string[];
  /** About how long the lab takes a learner, in minutes (shown at the top of its page). */
  minutes: number;
  /**
   * Labs whose result this lab builds on (their solved state): shown as the page's prerequisites,
   * and what catching up solves first. Direct requirements only; see `prerequisites()`.
   */
  requires?: string[];
  checks: CheckSpec[];
  /** Lays out the starter state (`npm run lab -- start`); see src/lifecycle.ts. */
  start?: Step[];
  /** Applies the reference solution on top of the starter (`npm run lab -- solve`). */
  solve?: Step[];
}

export interface Level {
  id: string;
  title: Localized;
  /** One sentence: what this part of the course adds (the home page's course table). */
  summary: Localized;
}

export interface Catalog {
  levels: Level[];
  /** In course order: by level, then by `order`. */
  labs: Lab[];
  /** Labs not fully built yet (labs/pending.yaml). */
  pending: string[];
}

const localized = {
  type: 'object',
  required: ['ko', 'en'],
  additionalProperties: false,
  properties: { ko: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const kebab = '^[a-z0-9]+(-[a-z0-9]+)*$';

const checkLevels = validator<Level[]>({
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['id', 'title', 'summary'],
    additionalProperties: false,
    properties: { id: { type: 'string', pattern: kebab }, title: localized, summary: localized },
  },
});

const checkLab = validator<Lab>({
  type: 'object',
  required: ['id', 'level', 'order', 'title', 'goal', 'namespaces', 'minutes', 'checks'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: kebab },
    level: { type: 'string' },
    order: { type: 'integer', minimum: 1 },
    title: localized,
    goal: localized,
    namespaces: { type: 'array', minItems: 1, items: { type: 'string', pattern: kebab } },
    minutes: { type: 'integer', minimum: 5, maximum: 240 },
    requires: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: kebab } },
    start: stepsSchema,
    solve: stepsSchema,
    checks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'title', 'hint', 'docs'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: kebab },
          title: localized,
          hint: localized,
          docs: { type: 'string', pattern: kebab },
          troubles: {
            type: 'array',
            items: {
              type: 'object',
              required: ['symptom', 'fix'],
              additionalProperties: false,
              properties: { symptom: localized, fix: localized },
            },
          },
        },
      },
    },
  },
});

const checkPending = validator<string[]>({ type: 'array', items: { type: 'string' } });

function readYaml(file: string): unknown {
  try {
    return readYamlFile(file);
  } catch (error) {
    throw new LabError(L(`${rel(file)}을(를) 읽을 수 없습니다: ${(error as Error).message}`, `cannot read ${rel(file)}: ${(error as Error).message}`));
  }
}

const badCatalog = L('실습 카탈로그 파일의 형식이 맞지 않습니다', 'A lab catalog file does not have the expected shape');

/** Read and check the catalog from a labs directory (the repository's by default). */
export function readCatalog(labsDir = LABS_DIR): Catalog {
  const levelsFile = join(labsDir, 'levels.yaml');
  const levels = checkLevels(readYaml(levelsFile), rel(levelsFile), badCatalog);
  const levelIndex = new Map(levels.map((level, i) => [level.id, i]));

  const labs: Lab[] = [];
  for (const entry of readdirSync(labsDir, { withFileTypes: true })) {
    const file = join(labsDir, entry.name, 'lab.yaml');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const lab = checkLab(readYaml(file), rel(file), badCatalog);
    const problems: string[] = [];
    if (lab.id !== entry.name) problems.push(`id "${lab.id}" differs from its folder "${entry.name}"`);
    if (!levelIndex.has(lab.level)) problems.push(`level "${lab.level}" is not one of ${levels.map((l) => l.id).join(', ')}`);
    const ids = lab.checks.map((c) => c.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) problems.push(`check id "${dup}" appears twice`);
    if (problems.length) throw new LabError(`${rel(file)}: ${problems.join('; ')}`);
    labs.push(lab);
  }
  labs.sort((a, b) => levelIndex.get(a.level)! - levelIndex.get(b.level)! || a.order - b.order || a.id.localeCompare(b.id));
  const requireProblems = requiresProblems(labs);
  if (requireProblems.length) throw new LabError(requireProblems.join('; '));

  const pendingFile = join(labsDir, 'pending.yaml');
  const pending = existsSync(pendingFile) ? (checkPending(readYaml(pendingFile) ?? [], rel(pendingFile), badCatalog)) : [];
  const unknown = pending.filter((id) => !labs.some((lab) => lab.id === id));
  if (unknown.length) throw new LabError(`${rel(pendingFile)}: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not labs' : 'is not a lab'}`);
  return { levels, labs, pending };
}

/** What is wrong with the labs' `requires:` lists: unknown ids, a lab requiring itself, a cycle. */
export function requiresProblems(labs: Pick<Lab, 'id' | 'requires'>[]): string[] {
  const byId = new Map(labs.map((lab) => [lab.id, lab]));
  const problems: string[] = [];
  for (const lab of labs) {
    for (const id of lab.requires ?? []) {
      if (id === lab.id) problems.push(`labs/${lab.id}/lab.yaml: requires itself`);
      else if (!byId.has(id)) problems.push(`labs/${lab.id}/lab.yaml: requires "${id}", which is not a lab`);
    }
  }
  // A cycle: depth-first, a lab met again while still on the path.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      problems.push(`labs/${id}/lab.yaml: requires form a cycle: ${cycle.join(' → ')}`);
      return;
    }
    state.set(id, 'open');
    for (const next of byId.get(id)?.requires ?? []) if (next !== id && byId.has(next)) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  for (const lab of labs) visit(lab.id, []);
  return [...new Set(problems)];
}

/** Every lab this one builds on, directly or through another, in course order (what catching up solves). */
export function prerequisites(lab: Lab, labs: Lab[] = catalog().labs): Lab[] {
  const needed = new Set<string>();
  const add = (id: string) => {
    for (const dep of labs.find((l) => l.id === id)?.requires ?? []) {
      if (!needed.has(dep)) {
        needed.add(dep);
        add(dep);
      }
    }
  };
  add(lab.id);
  return labs.filter((l) => needed.has(l.id));
}

let cached: Catalog | undefined;
export function catalog(): Catalog {
  return (cached ??= readCatalog());
}

export function labIds(): string[] {
  return catalog().labs.map((lab) => lab.id);
}

/** The lab with this id, or a LabError that lists the valid ids. */
export function getLab(id: string): Lab {
  const lab = catalog().labs.find((l) => l.id === id);
  if (lab) return lab;
  const ids = labIds().join(', ');
  throw new LabError(L(`"${id}"라는 실습은 없습니다. 있는 실습: ${ids}`, `There is no lab "${id}". The labs are: ${ids}`));
}

export function getLevel(id: string): Level {
  return catalog().levels.find((l) => l.id === id)!;
}

/** Route of a lab's docs page without the language prefix, e.g. `strategies/s3-bluegreen`. */
export function docsRoute(lab: Lab): string {
  return `${lab.level}/${lab.id}`;
}

/** The docs page file of a lab, relative to the repository root. */
export function docsFile(lab: Lab, lang: Lang): string {
  return `docs/${lang === 'ko' ? '' : 'en/'}${docsRoute(lab)}.md`;
}

/**
 * Where a check is taught: the docs site's page when LAB_DOCS_URL names the site
 * (e.g. http://localhost:5173 for `npm run docs:dev`), else the page's file in the repository.
 */
export function checkDocsLink(lab: Lab, check: CheckSpec, lang: Lang, env: NodeJS.ProcessEnv = process.env): string {
  const site = env.LAB_DOCS_URL?.replace(/\/+$/, '');
  if (site) return `${site}/${lang === 'ko' ? '' : 'en/'}${docsRoute(lab)}#${check.docs}`;
  return `${docsFile(lab, lang)}#${check.docs}`;
}
