/**
 * Blocks of the lab pages that come from the catalog (labs/<lab>/lab.yaml, labs/levels.yaml) or
 * from files a kit test writes, never typed on a page:
 *
 *   <!-- @lab-start: <lab> -->   the time estimate, the prerequisites and how to catch up
 *   <!-- @sample: <lab> -->      a passing `npm test -- <lab>` as the graders print it
 *                                (docs/samples/<lang>/<lab>.txt; `npm run docs:samples` writes them)
 *   <!-- @troubles: <lab> -->    each check's common failures and their fix; `all` for every lab
 *   <!-- @course -->             the course's parts in order, with what each adds
 *
 * Like the checks table, they are expanded before parsing: rendered server-side, indexed by search,
 * and a misspelled lab id or a missing sample fails the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { catalog, docsRoute, getLab, pageLang, prerequisites, siteRoot, type Lab } from '../../../src/catalog.js';
import type { Lang } from '../../../src/i18n.js';
import { DOCS_DIR } from '../../../src/paths.js';

const DIRECTIVE = /^<!--\s*@(lab-start|sample|troubles|course)(?::\s*([\w-]+))?\s*-->$/gm;

/** The command that writes the samples (package.json), named wherever a sample is missing or stale. */
export const SAMPLES_COMMAND = 'npm run docs:samples';

export const sampleFile = (labId: string, lang: Lang) => join(DOCS_DIR, 'samples', lang, `${labId}.txt`);

const link = (lab: Lab, lang: Lang, anchor = '') => `[${lab.id}](${siteRoot(lang)}${docsRoute(lab)}${anchor})`;

export function labStart(lab: Lab, lang: Lang): string {
  const before = prerequisites(lab);
  const ko = lang === 'ko';
  const lines = [
    `::: info ${ko ? '이 실습은' : 'This lab'}`,
    `- **${ko ? '걸리는 시간' : 'Time'}**: ${ko ? `약 ${lab.minutes}분` : `about ${lab.minutes} minutes`}`,
  ];
  if (!before.length) {
    lines.push(ko
      ? `- **먼저 할 것**: 플랫폼만 있으면 됩니다(\`npm run up\`). 앞 실습의 결과는 필요 없습니다.`
      : `- **Before**: only the platform (\`npm run up\`); no other lab's result is needed.`);
  } else {
    const list = before.map((l) => link(l, lang)).join(', ');
    lines.push(ko
      ? `- **먼저 할 것**: 플랫폼(\`npm run up\`)과 ${list}. 이 실습은 그 결과 위에서 시작합니다.`
      : `- **Before**: the platform (\`npm run up\`) and ${list}; this lab starts from their result.`);
    lines.push(ko
      ? `- **건너뛰었다면**: \`--catch-up\`으로 시작하세요. 앞 실습을 과정 순서로 채점해 통과하는 것은 그대로 두고, 통과하지 않는 것에만 정답을 적용한 뒤 이 실습을 시작합니다. 다시 실행해도 안전하고, \`--dry-run\`은 계획만 보여 줍니다.`
      : `- **Skipped them?** Start with \`--catch-up\`: it grades them in course order, keeps those that pass as they are, applies the reference solution to the others, then starts this lab. Safe to run again; \`--dry-run\` shows only the plan.`);
    lines.push('', '```sh', `npm run lab -- start ${lab.id} --catch-up --dry-run`, `npm run lab -- start ${lab.id} --catch-up`, '```');
  }
  lines.push(':::');
  return lines.join('\n');
}

export function sample(lab: Lab, lang: Lang): string {
  const file = sampleFile(lab.id, lang);
  if (!existsSync(file)) throw new Error(`@sample: ${lab.id}: ${file} is missing; write it with ${SAMPLES_COMMAND}`);
  const text = readFileSync(file, 'utf8').trimEnd();
  return ['```text', text, '```'].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function troubles(lab: Lab, lang: Lang, withLab = false): string {
  const ko = lang === 'ko';
  const head = ko ? ['검사', '증상', '원인과 해결'] : ['Check', 'Symptom', 'Cause and fix'];
  const rows = lab.checks.flatMap((c) =>
    (c.troubles ?? []).map((t) => {
      const id = withLab ? `${link(lab, lang, `#${c.docs}`)} · \`${c.id}\`` : `[\`${c.id}\`](#${c.docs})`;
      return `| ${id} | ${cell(t.symptom[lang])} | ${cell(t.fix[lang])} |`;
    }),
  );
  if (!rows.length) throw new Error(`@troubles: ${lab.id} has no troubles in its lab.yaml`);
  return [`| ${head.join(' | ')} |`, '|---|---|---|', ...rows].join('\n');
}

function course(lang: Lang): string {
  const ko = lang === 'ko';
  const { levels, labs, pending } = catalog();
  const head = ko ? ['순서', '무엇을', '실습'] : ['Part', 'What', 'Labs'];
  const rows = [
    ko
      ? `| [0부 — 파이프라인 설계](/part-0/) | 도구를 설치하기 전에 정할 것: 누가 어느 단계를 맡는지, 환경마다 하나로 둘지 나눌지, 제품을 무엇으로 고를지 | 없음(읽고 토론) |`
      : `| [Part 0 — Designing a pipeline](/en/part-0/) | What to decide before installing anything: who owns which stage, one setup or one per environment, which products | none (read and discuss) |`,
    ...levels.map((level) => {
      const ids = labs.filter((l) => l.level === level.id && !pending.includes(l.id)).map((l) => `\`${l.id}\``).join(', ');
      return `| [${level.title[lang]}](${siteRoot(lang)}${level.id}/) | ${cell(level.summary[lang])} | ${ids} |`;
    }),
  ];
  return [`| ${head.join(' | ')} |`, '|---|---|---|', ...rows].join('\n');
}

export function labBlocksPlugin(md: MarkdownIt): void {
  md.core.ruler.before('normalize', 'cicd-lab-blocks', (state) => {
    const page: string = state.env?.relativePath ?? '';
    const lang = pageLang(page);
    state.src = state.src.replace(DIRECTIVE, (_match, kind: string, id?: string) => {
      if (kind === 'course') return course(lang);
      if (!id) throw new Error(`@${kind} needs a lab id (${page})`);
      if (kind === 'troubles' && id === 'all') {
        // One table for every lab, in course order (each row names its lab and links its page).
        const tables = catalog()
          .labs.filter((lab) => !catalog().pending.includes(lab.id))
          .map((lab) => troubles(lab, lang, true).split('\n'));
        return [...tables[0].slice(0, 2), ...tables.flatMap((t) => t.slice(2))].join('\n');
      }
      const lab = getLab(id);
      if (kind === 'lab-start') return labStart(lab, lang);
      if (kind === 'sample') return sample(lab, lang);
      return troubles(lab, lang);
    });
  });
}
