#!/usr/bin/env -S npx tsx
/**
 * npm run doctor
 *
 * Preflight before `npm run up`: Docker reachable and the CPUs/memory it may use (4 CPUs / 8 GB
 * advised), the host ports the platform binds (127.0.0.1:8080, 5001 and the mirrors' ports of
 * platform.yaml) free or already the lab's, inotify and process limits and unprivileged user
 * namespaces (Linux with a native Docker; the build pods' rootless Buildah needs them), the
 * architecture (amd64/arm64), proxy variables, WSL2's networking mode, and kind, helm, kubectl
 * (within one minor of the cluster) and the kubectl argo rollouts plugin on PATH at supported
 * versions (versions.json). Each problem comes with the command or setting that fixes it.
 * The checks are in scripts/lib/doctor.ts.
 *
 * Environment: HTTP_PROXY, HTTPS_PROXY, NO_PROXY (and lower-case) are checked; WSL_DISTRO_NAME marks
 * WSL; LAB_LANG ko | en.
 *
 * Exit: 0 nothing blocks (warnings may remain) · 1 a blocker (the platform would not come up).
 */
import { runMain } from '../src/errors.js';
import { detectLang, L, t, type Lang } from '../src/i18n.js';
import { liveRunner } from './lib/exec.js';
import { blockers, gatherFacts, runChecks, type Finding } from './lib/doctor.js';
import { platformFull } from './lib/platform.js';
import { versions } from './lib/versions.js';
import { printHelp, wantsHelp } from './lib/help.js';

const MARK = { ok: '✓', warn: '!', block: '✗' } as const;

export function renderFindings(findings: Finding[], lang: Lang): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${MARK[f.level]} ${t(f.title, lang)}: ${t(f.observed, lang)}`);
    if (f.fix) lines.push(`    → ${t(f.fix, lang)}`);
  }
  const warn = findings.filter((f) => f.level === 'warn').length;
  const block = blockers(findings).length;
  lines.push(
    '',
    t(
      block
        ? L(`막는 문제 ${block}개, 경고 ${warn}개: 위의 → 를 고친 다음 다시 실행하세요.`, `${block} blocking, ${warn} warnings: fix the → items above, then run this again.`)
        : L(`준비됐습니다${warn ? `(경고 ${warn}개)` : ''}: npm run up`, `Ready${warn ? ` (${warn} warnings)` : ''}: npm run up`),
      lang,
    ),
  );
  return lines.join('\n');
}

export async function main(env = process.env, argv = process.argv.slice(2)): Promise<number> {
  if (wantsHelp(argv)) return printHelp('doctor', env);
  const lang = detectLang(env);
  const findings = runChecks(await gatherFacts(liveRunner, platformFull, env), versions, platformFull);
  console.log(renderFindings(findings, lang));
  return blockers(findings).length ? 1 : 0;
}

if (process.argv[1]?.endsWith('scripts/doctor.ts')) await runMain(() => main());
