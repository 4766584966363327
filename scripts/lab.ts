#!/usr/bin/env -S npx tsx
/**
 * npm run lab -- list                 the labs, grouped by level, in the learner's language
 * npm run lab -- start|reset|solve <lab>   lab lifecycle (the platform issue builds these)
 *
 * Environment: LAB_LANG (ko | en, else from LANG).
 */
import { catalog, getLevel } from '../src/catalog.js';
import { LabError, runMain } from '../src/errors.js';
import { detectLang, L, t, type Lang } from '../src/i18n.js';

export function renderList(lang: Lang): string {
  const { labs, levels, pending } = catalog();
  const width = Math.max(...labs.map((l) => l.id.length));
  const lines: string[] = [];
  for (const level of levels) {
    const inLevel = labs.filter((l) => l.level === level.id);
    if (!inLevel.length) continue;
    lines.push('', t(getLevel(level.id).title, lang));
    for (const lab of inLevel) {
      const checks = lang === 'ko' ? `검사 ${lab.checks.length}개` : `${lab.checks.length} checks`;
      const soon = pending.includes(lab.id) ? (lang === 'ko' ? ' · 준비 중' : ' · coming soon') : '';
      lines.push(`  ${lab.id.padEnd(width)}  ${t(lab.title, lang)}  (${checks}${soon})`);
    }
  }
  lines.push('', lang === 'ko' ? '채점: npm test -- <실습>' : 'Grade one: npm test -- <lab>');
  return lines.join('\n');
}

const USAGE = L('사용법: npm run lab -- list | start <실습> | reset <실습> | solve <실습>', 'usage: npm run lab -- list | start <lab> | reset <lab> | solve <lab>');

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const lang = detectLang();
  const [command, ...rest] = argv;
  switch (command) {
    case 'list':
      console.log(renderList(lang));
      return 0;
    case 'start':
    case 'reset':
    case 'solve':
      console.error(t(L(`"lab ${command}"은(는) 아직 없습니다(플랫폼 작업에서 만듭니다).`, `"lab ${command}" is not yet available (it comes with the platform work).`), lang));
      return 2;
    default:
      throw new LabError(command ? L(`알 수 없는 명령 "${command}". ${USAGE.ko}`, `unknown command "${command}". ${USAGE.en}`) : USAGE);
  }
}


if (process.argv[1]?.endsWith('scripts/lab.ts')) await runMain(() => main());
