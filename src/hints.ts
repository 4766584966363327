/**
 * Escalating hints (`npm run hint`): what each level of help says for a failing check.
 *   1 the nudge: the check's `hint` in lab.yaml (the goal and the concept; also shown under a failure);
 *   2 the pointer: its `pointer` (the docs section and the exact field or command) and the docs link;
 *   3 the solution: the text of its `solution` region (`solutions/<lab>/<file>#<region>`), read by
 *     the rules the docs use for `<<< @/../solutions/…#region` (src/regions.ts), so the learner sees
 *     exactly what the lab's page shows; for a check solved by commands (`page#<anchor>`), the shell
 *     blocks and solution includes of that section of the lab's page in the learner's language.
 * The level a learner has reached is kept per check in .lab/progress.json (src/progress.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocsLink, docsFile, pageSolutionAnchor, solutionRef, type CheckSpec, type Lab } from './catalog.js';
import type { CheckResult } from './checks.js';
import { LabError } from './errors.js';
import { L, t, type Lang, type Localized } from './i18n.js';
import { ROOT } from './paths.js';
import { MAX_HINT_LEVEL } from './progress.js';
import { sectionBlocks } from './page-sections.js';
import { regionText } from './regions.js';

export const LEVEL_NAMES: Record<number, Localized> = {
  1: L('살짝 알려 주기', 'a nudge'),
  2: L('어디를 볼지', 'where to look'),
  3: L('풀이의 해당 부분', "the solution's part"),
};

/**
 * The text of a check's solution region, or a LabError that says what is missing. A `page#<anchor>`
 * solution is read from the lab's page in `lang`, so it needs the lab.
 */
export function solutionText(check: Pick<CheckSpec, 'solution'>, root = ROOT, page?: { lab: Lab; lang: Lang }): { file: string; region: string; text: string } {
  if (!check.solution) throw new LabError(L('이 검사에는 아직 풀이 영역(solution)이 없습니다', 'this check has no solution region yet'));
  const anchor = pageSolutionAnchor(check.solution);
  if (anchor !== undefined) {
    if (!page) throw new LabError(L(`${check.solution}은(는) 실습 페이지에서 읽습니다`, `${check.solution} is read from the lab's page`));
    const file = docsFile(page.lab, page.lang);
    const path = join(root, file);
    const blocks = existsSync(path) ? sectionBlocks(readFileSync(path, 'utf8'), anchor, root) : undefined;
    if (!blocks) throw new LabError(L(`${file}에 절 {#${anchor}}이(가) 없습니다`, `${file} has no section {#${anchor}}`));
    if (!blocks.some((b) => b.from === 'sh')) throw new LabError(L(`${file}의 절 {#${anchor}}에 셸 블록이 없습니다`, `${file}'s section {#${anchor}} has no shell block`));
    return { file, region: anchor, text: blocks.map((b) => (b.from === 'sh' ? b.text : `# ${b.from}\n${b.text}`)).join('\n\n') };
  }
  const { file, region } = solutionRef(check.solution);
  const path = join(root, file);
  if (!existsSync(path)) throw new LabError(L(`풀이 파일 ${file}이(가) 없습니다`, `the solution file ${file} does not exist`));
  const text = regionText(readFileSync(path, 'utf8'), region);
  if (text === undefined) throw new LabError(L(`${file}에 영역 ${region}이(가) 없습니다`, `${file} has no region ${region}`));
  return { file, region, text };
}

/** The lines of one hint at one level, in the learner's language. */
export function hintLines(lab: Lab, result: CheckResult, level: number, lang: Lang, env: NodeJS.ProcessEnv = process.env): string[] {
  const spec = lab.checks.find((c) => c.id === result.id)!;
  const head = t(L(`힌트 ${level}/${MAX_HINT_LEVEL} — ${LEVEL_NAMES[level].ko}`, `Hint ${level}/${MAX_HINT_LEVEL} — ${LEVEL_NAMES[level].en}`), lang);
  const lines = [head];
  if (level === 1) lines.push(t(result.hint ?? spec.hint, lang));
  else if (level === 2) {
    lines.push(spec.pointer ? t(spec.pointer, lang) : t(spec.hint, lang));
    lines.push(t(L(`문서: ${checkDocsLink(lab, spec, 'ko', env)}`, `docs: ${checkDocsLink(lab, spec, 'en', env)}`), lang));
  } else {
    try {
      const s = solutionText(spec, ROOT, { lab, lang });
      lines.push(
        pageSolutionAnchor(spec.solution ?? '') !== undefined
          ? t(L(`${s.file}#${s.region}의 명령과 풀이 (실습 페이지의 그 절 그대로):`, `the commands and solution of ${s.file}#${s.region} (as that section of the lab's page shows them):`), lang)
          : t(L(`${s.file}#${s.region} (실습 페이지에도 있는 참고 풀이):`, `${s.file}#${s.region} (the reference solution, as on the lab's page):`), lang),
      );
      lines.push(...s.text.replace(/\n+$/, '').split('\n').map((l) => `  ${l}`));
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      lines.push(`${t(error.text, lang)}. ${t(L(`solutions/${lab.id}/를 보세요.`, `See solutions/${lab.id}/.`), lang)}`);
    }
  }
  return lines;
}

/** What to run for the next level, or that this was the last. */
export function nextLine(lab: Lab, check: string, level: number, lang: Lang): string {
  if (level >= MAX_HINT_LEVEL) return t(L('(마지막 단계입니다. 검사를 통과하면 힌트 단계가 처음으로 돌아갑니다.)', '(That is the last level. When the check passes, its hints start again from the first.)'), lang);
  return t(L(`(다음 단계: npm run hint -- ${lab.id} ${check})`, `(Next level: npm run hint -- ${lab.id} ${check})`), lang);
}
