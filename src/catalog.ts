/**
 * The lab catalog (ARCHITECTURE.md#making-a-lab; its ids are contracts): labs/levels.yaml,
 * labs/<id>/lab.yaml and labs/pending.yaml. Everything that lists labs or checks — the `lab`
 * command, the graders, the reporters, the docs' sidebar and check tables — reads it from here, so
 * a title or a check id is written once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from './errors.js';
import { L, type Lang, type Localized } from './i18n.js';
import { LABS_DIR, rel } from './paths.js';
import { Step } from './lifecycle.js';
import { doc, KO_DESCRIPTION, uniqueItems, validator, z, type Infer } from './schema.js';
import { readYamlFile } from './yaml-file.js';

/** A text in Korean and English, both required and non-empty. */
export const LocalizedText = z
  .strictObject({ ko: z.string().min(1), en: z.string().min(1) })
  .meta({ id: 'Localized', description: 'The same text in Korean (ko) and English (en)', [KO_DESCRIPTION]: '같은 내용의 한국어(ko)와 영어(en) 문장' });

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const text = (ko: string, en: string) => doc(LocalizedText, ko, en);

/** `solutions/<lab>/<file>#<region>`: where a check's last hint comes from. */
export const SOLUTION_REF = /^(solutions\/[\w.-]+(?:\/[\w.-]+)+)#([\w*-]+)$/;

/**
 * `page#<anchor>`: for a check solved by running commands rather than by writing a file, the last
 * hint is the shell blocks of that section of the lab's own page (src/page-sections.ts).
 */
export const PAGE_SOLUTION_REF = /^page#([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** A check's `solution` split into the file (relative to the repository root) and the region. */
export function solutionRef(ref: string): { file: string; region: string } {
  const m = SOLUTION_REF.exec(ref);
  if (!m) throw new LabError(`"${ref}" is not solutions/<lab>/<file>#<region>`);
  return { file: m[1], region: m[2] };
}

/** The anchor of a `page#<anchor>` solution, or undefined for a solution file's region. */
export const pageSolutionAnchor = (ref: string): string | undefined => PAGE_SOLUTION_REF.exec(ref)?.[1];

export const Trouble = z.strictObject({
  symptom: text('학습자가 보는 것(채점기의 관찰값이나 클러스터의 반응)', "What the learner sees (the grader's observation, or the cluster's)"),
  fix: text('흔한 원인과 고치는 방법', 'The usual cause and how to fix it'),
});
export type Trouble = Infer<typeof Trouble>;

export const CheckSpec = z.strictObject({
  id: doc(kebab, '검사 id. 보고서와 채점 결과가 이 id로 검사를 가리키므로 바꾸지 않습니다', 'The check id: reports and acceptance checks refer to it, so it does not change'),
  title: text('학습자의 목표를 말하는 문장. 검사를 통과하면 참', "A sentence about the learner's goal, true when the check passes"),
  hint: text('목표와 개념. 답이 되는 명령은 쓰지 않습니다', 'The goal and the concept; never the command that solves it'),
  pointer: text(
    '두 번째 힌트(`npm run hint`를 다시 물었을 때): 그 검사를 가르치는 문서 절과, 손볼 정확한 필드나 명령',
    'The second hint (`npm run hint` asked again): the docs section that teaches it and the exact field or command to look at',
  ).optional(),
  solution: doc(
    z.union([z.string().regex(SOLUTION_REF), z.string().regex(PAGE_SOLUTION_REF)]),
    '세 번째 힌트: 참고 풀이 파일의 영역 `solutions/<실습>/<파일>#<영역>`. 실습 페이지가 `<<< @/../solutions/…#<영역>`으로 보여 주는 영역이어야 합니다. 파일이 아니라 명령으로 푸는 검사는 `page#<앵커>`: 실습 페이지 그 절의 셸 블록',
    'The third hint: a region of a reference solution file, `solutions/<lab>/<file>#<region>`, one the lab\'s docs page shows with `<<< @/../solutions/…#<region>`. A check solved by commands rather than a file names `page#<anchor>`: the shell blocks of that section of the lab\'s page',
  ).optional(),
  docs: doc(kebab, '그 검사를 가르치는 실습 페이지 절의 앵커(제목 끝의 `{#앵커}`)', "The anchor (`{#anchor}` on a heading) of the section of the lab's docs page that teaches it"),
  troubles: doc(z.array(Trouble), '흔한 실패와 고치는 법. 실습 페이지와 문제 해결 페이지에 나옵니다', 'Common failures and their fixes, shown on the lab page and in troubleshooting').optional(),
});
export type CheckSpec = Infer<typeof CheckSpec>;

/** labs/<id>/lab.yaml */
export const Lab = z.strictObject({
  id: doc(kebab, '실습 id. 폴더 이름과 같습니다', 'The lab id, the same as its folder name'),
  level: doc(kebab, '속한 단계: `labs/levels.yaml`의 id', 'Its part of the course: an id of `labs/levels.yaml`'),
  order: doc(z.int().min(1), '단계 안에서의 순서', 'Its place within the part'),
  title: text('실습 제목', 'The lab title'),
  goal: text('이 실습에서 하는 일, 한두 문장', 'What the learner does in this lab, in a sentence or two'),
  namespaces: doc(z.array(kebab).min(1), '실습이 쓰는 네임스페이스', 'The namespaces the lab works in'),
  minutes: doc(z.int().min(5).max(240), '걸리는 시간(분, 대략). 실습 페이지 맨 위에 나옵니다', 'About how long the lab takes, in minutes (shown at the top of its page)'),
  requires: doc(
    uniqueItems(kebab),
    '이 실습이 이어 가는 실습들(그 풀이 상태). 페이지의 준비 사항이 되고, `--catch-up`이 먼저 풉니다. 바로 앞의 것만 적습니다. 없는 id나 순환은 카탈로그가 거절합니다',
    "The labs whose solved state this lab builds on: the page's prerequisites, and what `--catch-up` solves first. Direct requirements only; the catalog refuses an unknown id or a cycle",
  ).optional(),
  checks: doc(z.array(CheckSpec).min(1), '검사 목록. 채점기의 검사와 같아야 합니다', "The checks, exactly the grader's"),
  start: doc(z.array(Step), '시작 상태를 까는 단계(`npm run lab -- start`)', 'The steps that lay out the starter state (`npm run lab -- start`)').optional(),
  solve: doc(z.array(Step), '시작 상태 위에 참고 풀이를 적용하는 단계(`npm run lab -- solve`)', 'The steps that apply the reference solution on top of the starter (`npm run lab -- solve`)').optional(),
});
export type Lab = Infer<typeof Lab>;

/**
 * The platform profiles of `npm run up -- --profile`, smallest first: each installs what the one
 * before it does and more (their components: scripts/lib/profiles.ts).
 */
export const PROFILE_NAMES = ['strategies', 'full'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** labs/levels.yaml: the parts of the course that hold labs, in course order. */
export const Levels = z
  .array(
    z.strictObject({
      id: doc(kebab, '단계 id. 실습의 `level`이 가리키고, 문서 폴더 `docs/<id>/`의 이름입니다', "The part's id: a lab's `level` names it, and its docs live in `docs/<id>/`"),
      title: text('단계 제목', "The part's title"),
      summary: text('이 단계가 더하는 것, 한 문장(첫 페이지의 과정 표)', "One sentence: what this part adds (the home page's course table)"),
      profile: doc(
        z.enum(PROFILE_NAMES),
        '이 단계의 실습에 필요한 가장 작은 플랫폼 프로필(`npm run up -- --profile`): strategies(클러스터, 레지스트리, 게이트웨이, 이미지) 또는 full(모두). 그보다 작은 플랫폼에서는 `lab start`가 거절합니다',
        "The smallest platform profile its labs need (`npm run up -- --profile`): strategies (cluster, registry, gateway, images) or full (everything). On a smaller platform `lab start` refuses",
      ),
    }),
  )
  .min(1);
export type Level = Infer<typeof Levels>[number];

/** labs/pending.yaml: labs not fully built yet. */
export const Pending = z.array(kebab);

export interface Catalog {
  levels: Level[];
  /** In course order: by level, then by `order`. */
  labs: Lab[];
  /** Labs not fully built yet (labs/pending.yaml). */
  pending: string[];
}

const checkLevels = validator(Levels);
const checkLab = validator(Lab);
const checkPending = validator(Pending);

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

/** The platform profile a lab needs: its level's (labs/levels.yaml), the one place it is decided. */
export function labProfile(lab: Pick<Lab, 'level'>, levels: Level[] = catalog().levels): ProfileName {
  return levels.find((l) => l.id === lab.level)!.profile;
}

/** Route of a lab's docs page without the language prefix, e.g. `strategies/s3-bluegreen`. */
export function docsRoute(lab: Lab): string {
  return `${lab.level}/${lab.id}`;
}

/** The language of a docs page from its path under docs/: English pages live under `en/`, Korean ones at the root. */
export const pageLang = (relativePath: string): Lang => (relativePath.startsWith('en/') ? 'en' : 'ko');

/** The site's root for a language: its pages' links start here. */
export const siteRoot = (lang: Lang): string => (lang === 'ko' ? '/' : '/en/');

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
