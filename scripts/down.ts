#!/usr/bin/env -S npx tsx
/**
 * npm run down [-- --yes] [--purge] [--dry-run]
 *
 * Deletes the lab platform: the kind cluster cicd-lab (and its kube context), the registry container
 * kind-registry with its images, the mirror containers, and the install's logins
 * (.lab/credentials.json: the next `up` is a new install with new passwords). The mirrors' caches
 * (Docker volumes cicd-lab-kind-mirror-*) are kept so the next `up` pulls nothing again, unless
 * --purge. Asks first; --yes skips the question (and is required without a terminal).
 *
 * Options:
 *   --yes       do not ask
 *   --purge     also delete the mirror caches and .lab/cache (prefetched charts and plugin)
 *   --dry-run   print what would be deleted, delete nothing
 *   --context   refused unless kind-cicd-lab
 *
 * Environment: LAB_CONTEXT (refused unless kind-cicd-lab) · LAB_LANG ko | en.
 * Exit: 0 deleted (or nothing to delete) · 1 a command failed · 2 not confirmed / bad input.
 *
 * Tested with a recording runner (test/kit/platform-cli.test.ts); the e2e workflow runs it for real.
 */
import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { join } from 'node:path';
import { LabError, runMain } from '../src/errors.js';
import { detectLang, L, t } from '../src/i18n.js';
import { ROOT } from '../src/paths.js';
import { credentialsPath } from '../src/platform.js';
import { requireLabContext } from './lib/cli.js';
import { parseOptions } from './lib/options.js';
import { liveRunner, shellLine, type Cmd, type Runner } from './lib/exec.js';
import { platformFull, type PlatformFull } from './lib/platform.js';
import { printHelp, wantsHelp } from './lib/help.js';

const USAGE = L('사용법: npm run down [-- --yes] [--purge] [--dry-run]', 'usage: npm run down [-- --yes] [--purge] [--dry-run]');

export function downCommands(p: PlatformFull, purge: boolean): Cmd[] {
  // The Codespaces proxy exists only in a codespace; removing a missing container is fine (below).
  const containers = [p.registryContainer.name, ...p.mirrors.map((m) => m.container), p.codespaces.proxy];
  const cmds: Cmd[] = [
    { cmd: 'kind', args: ['delete', 'cluster', '--name', p.cluster] },
    { cmd: 'docker', args: ['rm', '-f', '-v', ...containers] },
    { cmd: 'docker', args: ['volume', 'rm', '-f', 'cicd-lab-registry'] },
  ];
  if (purge) cmds.push({ cmd: 'docker', args: ['volume', 'rm', '-f', ...p.mirrors.map((m) => `cicd-lab-${m.container}`)] });
  return cmds;
}

export async function confirm(question: string, input: NodeJS.ReadableStream = process.stdin): Promise<boolean> {
  const rl = createInterface({ input, output: process.stdout, terminal: false });
  const answer = await rl.question(question).catch(() => '');
  rl.close();
  return /^(y|yes|예|네|ㅇ)$/i.test(answer.trim());
}

export async function main(argv = process.argv.slice(2), env = process.env, runner: Runner = liveRunner, stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<number> {
  if (wantsHelp(argv)) return printHelp('down', env);
  const lang = detectLang(env);
  const { values } = parseOptions(argv, { yes: { type: 'boolean' }, purge: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, context: { type: 'string' } }, USAGE);
  requireLabContext(values.context, 'down', env);
  const cmds = downCommands(platformFull, Boolean(values.purge));
  const files = [credentialsPath(), join(ROOT, '.lab', 'values'), ...(values.purge ? [join(ROOT, '.lab', 'cache')] : [])];
  const plan = [...cmds.map((c) => `$ ${shellLine(c)}`), ...files.map((f) => `• rm -rf ${f.replace(`${ROOT}/`, '')}`)];
  console.log(t(L('삭제할 것:', 'This deletes:'), lang));
  for (const line of plan) console.log(`  ${line}`);
  if (!values.purge) console.log(t(L('  (미러 캐시는 남깁니다: 다음 up이 이미지를 다시 받지 않도록. 지우려면 --purge)', '  (the mirror caches stay, so the next up pulls nothing again; --purge deletes them)'), lang));
  if (values['dry-run']) return 0;
  if (!values.yes) {
    if (!stdin.isTTY) throw new LabError(L('확인할 터미널이 없습니다. 지우려면 --yes를 붙이세요: npm run down -- --yes', 'No terminal to ask: add --yes to delete: npm run down -- --yes'));
    if (!(await confirm(t(L('정말 지울까요? [y/N] ', 'Delete all of this? [y/N] '), lang), stdin))) {
      console.log(t(L('아무것도 지우지 않았습니다.', 'Nothing was deleted.'), lang));
      return 2;
    }
  }
  for (const c of cmds) {
    const r = await runner(c);
    // Absent things are fine: kind says so and exits 0; docker rm -f of a missing container exits 1.
    if (r.code !== 0 && !/No such (container|volume)/i.test(r.stderr)) throw new LabError(`${shellLine(c)} exited ${r.code}: ${r.stderr.trim()}`, 1);
  }
  for (const f of files) if (existsSync(f)) rmSync(f, { recursive: true, force: true });
  console.log(t(L('랩 플랫폼을 지웠습니다. 다시 만들려면: npm run up', 'The lab platform is gone. Build it again with: npm run up'), lang));
  return 0;
}

if (process.argv[1]?.endsWith('scripts/down.ts')) await runMain(() => main());
