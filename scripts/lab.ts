#!/usr/bin/env -S npx tsx
/**
 * npm run lab -- list [--solvable [--profile <name>]]
 *                                               the labs, grouped by level, in the learner's language
 *                                               (--solvable: only the ids `solve` can run, one a line;
 *                                               --profile: only those that platform profile runs)
 * npm run lab -- start <lab> [--context <name>] [--dry-run] [--catch-up]
 *                                               lay out the lab's starter state (its `start:` steps);
 *                                               --catch-up first grades the labs it builds on
 *                                               (`requires:`) and solves those that do not pass
 *                                               (scripts/lib/catch-up.ts); with --dry-run it grades
 *                                               (reads only) and prints the plan
 * npm run lab -- solve <lab> [--context <name>] [--dry-run]
 *                                               `start:` again (idempotent), then the reference
 *                                               solution (its `solve:` steps)
 * npm run lab -- reset <lab> [--context <name>] [--dry-run]
 *                                               remove what the lab owns — its namespaces (waiting
 *                                               until they are gone) and the Jenkins jobs its steps
 *                                               create — then `start:` again. Commits it pushed to
 *                                               Gitea stay (Git history is not rewritten).
 *
 * The steps are lab.yaml's (src/lifecycle.ts), carried out by the live executor
 * (scripts/lib/executor.ts). The kube context is kind-cicd-lab unless named with --context or
 * LAB_CONTEXT; the kubeconfig's current context is never used by default (src/kube/client.ts).
 *
 * `start` records when the lab was started (the first start; `reset` starts the clock again) in
 * .lab/progress.json, which the hand-in carries to the instructor (src/progress.ts).
 *
 * Options: --context <name> · --dry-run (print the steps and commands, run nothing) · --catch-up (start only).
 * Environment: LAB_CONTEXT, LAB_LANG (ko | en, else from LANG), JENKINS_URL, GITEA_URL,
 *   LAB_GATEWAY_PORT (other addresses for Jenkins and Gitea, as for the graders).
 * Exit: 0 done · 1 a step failed (its output is shown), or catching up would overwrite a lab that
 *   passes · 2 bad input, no cluster, refused context.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, getLab, getLevel, labProfile, prerequisites, type Lab, type ProfileName } from '../src/catalog.js';
import { collectUntilSettled, loadGrader } from '../src/engine.js';
import { LabError, runMain } from '../src/errors.js';
import { detectLang, L, t, type Lang } from '../src/i18n.js';
import { KubeClient, resolveTarget } from '../src/kube/client.js';
import { describeStep, runSteps, type Step } from '../src/lifecycle.js';
import { ROOT } from '../src/paths.js';
import { progressPath, readProgress, recordStart, writeProgress } from '../src/progress.js';
import { collect, endpoints } from '../src/collect/index.js';
import { readCredentials } from '../src/platform.js';
import { asLabError } from './lib/cli.js';
import { parseOptions } from './lib/options.js';
import { liveRunner, shellLine, type Cmd, type Runner } from './lib/exec.js';
import { applyCommand, LiveExecutor } from './lib/executor.js';
import { planCatchUp, renderCatchUp, runCatchUp } from './lib/catch-up.js';
import { covers, missingProfile, parseProfile, readInstalledProfile } from './lib/profiles.js';
import { JenkinsClient } from './lib/jenkins.js';
import { FIELD_MANAGERS, platformFull } from './lib/platform.js';
import { printHelp, wantsHelp } from './lib/help.js';

export function renderList(lang: Lang): string {
  const { labs, levels, pending } = catalog();
  const width = Math.max(...labs.map((l) => l.id.length));
  const lines: string[] = [];
  for (const level of levels) {
    const inLevel = labs.filter((l) => l.level === level.id);
    if (!inLevel.length) continue;
    lines.push('', t(getLevel(level.id).title, lang));
    for (const lab of inLevel) {
      const checks = t(L(`검사 ${lab.checks.length}개`, `${lab.checks.length} checks`), lang);
      const soon = pending.includes(lab.id) ? t(L(' · 준비 중', ' · coming soon'), lang) : '';
      lines.push(`  ${lab.id.padEnd(width)}  ${t(lab.title, lang)}  (${checks}${soon})`);
    }
  }
  lines.push('', t(L('채점: npm test -- <실습>', 'Grade one: npm test -- <lab>'), lang));
  return lines.join('\n');
}

const USAGE = L('사용법: npm run lab -- list | start <실습> | reset <실습> | solve <실습>', 'usage: npm run lab -- list | start <lab> | reset <lab> | solve <lab>');

/** Labs that are built (not pending) and have solve steps; on a profile, those it runs. */
export const solvableLabs = (profile?: ProfileName) => {
  const { labs, pending } = catalog();
  return labs.filter((l) => !pending.includes(l.id) && l.solve?.length && (!profile || covers(profile, labProfile(l)))).map((l) => l.id);
};

/** The Jenkins jobs a lab's steps create (what `reset` deletes). */
export const labJobs = (lab: Lab) => [...new Set([...(lab.start ?? []), ...(lab.solve ?? [])].flatMap((s) => ('jenkins-job' in s ? [s['jenkins-job'].name] : [])))];

/** The commands `reset` runs on the cluster before `start:` again. */
export function resetCommands(lab: Lab, context: string): Cmd[] {
  const cmds: Cmd[] = [{ cmd: 'kubectl', args: ['--context', context, 'delete', 'namespace', ...lab.namespaces, '--ignore-not-found', '--wait=true', '--timeout=300s'] }];
  // The Jenkins labs' namespaces carry the build pods' RoleBinding: put it back (platform/manifests/lab-builder-rbac.yaml).
  // It is up's file, so it is applied as up applies it (the platform's field manager).
  if (lab.namespaces.some((ns) => platformFull.labBuilder.namespaces.includes(ns))) cmds.push(applyCommand('platform/manifests/lab-builder-rbac.yaml', context, ROOT, FIELD_MANAGERS.platform));
  return cmds;
}

/** What a lifecycle command would do, for --dry-run. */
export function describePlan(lab: Lab, command: 'start' | 'solve' | 'reset', context: string): string[] {
  const steps: Step[] = command === 'solve' ? [...(lab.start ?? []), ...(lab.solve ?? [])] : [...(lab.start ?? [])];
  const lines: string[] = [];
  if (command === 'reset') {
    for (const c of resetCommands(lab, context)) lines.push(`$ ${shellLine(c)}`);
    for (const job of labJobs(lab)) lines.push(`• delete Jenkins job ${job}`);
  }
  for (const step of steps) {
    lines.push(`• ${describeStep(step)}`);
    if ('apply' in step) lines.push(`    $ ${shellLine(applyCommand(step.apply, context))}`);
    if ('run' in step) lines.push(`    $ LAB_CONTEXT=${context} ${[step.run, ...(step.args ?? [])].join(' ')}`);
  }
  return lines;
}

/**
 * @param installed the platform profile of this install (`up` records it; scripts/lib/profiles.ts):
 *   a lab whose level needs more is refused in one line that names the profile to add.
 */
export async function lifecycle(command: 'start' | 'solve' | 'reset', argv: string[], env: NodeJS.ProcessEnv, runner: Runner = liveRunner, installed: () => ProfileName | undefined = () => readInstalledProfile()): Promise<number> {
  const lang = detectLang(env);
  const catchUpOption = command === 'start' ? ' [--catch-up]' : '';
  const usage = L(`사용법: npm run lab -- ${command} <실습> [--context <이름>] [--dry-run]${catchUpOption}`, `usage: npm run lab -- ${command} <lab> [--context <name>] [--dry-run]${catchUpOption}`);
  const { values, positionals } = parseOptions(argv, { context: { type: 'string' }, 'dry-run': { type: 'boolean' }, ...(command === 'start' ? { 'catch-up': { type: 'boolean' } } : {}) } as const, usage);
  const [labId, ...extra] = positionals;
  if (!labId || extra.length) throw new LabError(usage);
  const catchingUp = Boolean((values as { 'catch-up'?: boolean })['catch-up']);
  const lab = getLab(labId);
  if (!lab.start?.length && !lab.solve?.length) {
    throw new LabError(L(`실습 ${lab.id}에는 아직 start/solve 단계가 없습니다(준비 중).`, `Lab ${lab.id} has no start/solve steps yet (coming soon).`));
  }
  for (const step of [...(lab.start ?? []), ...(lab.solve ?? [])]) {
    for (const file of 'apply' in step ? [step.apply] : 'run' in step ? [step.run] : []) {
      if (!existsSync(join(ROOT, file))) throw new LabError(L(`${lab.id}의 단계가 가리키는 ${file}이(가) 없습니다.`, `${file}, named by a step of ${lab.id}, does not exist.`));
    }
  }
  // Every lab it would touch must run on this install (catching up also solves the labs before it).
  if (!values['dry-run'] || catchingUp) {
    const profile = installed();
    for (const l of catchingUp ? [...prerequisites(lab), lab] : [lab]) {
      const missing = missingProfile(l, profile);
      if (missing) throw new LabError(missing);
    }
  }
  const log = (line: string) => console.log(line);
  if (catchingUp) return catchUp(lab, Boolean(values['dry-run']), values.context, env, runner);
  if (values['dry-run']) {
    // A dry run reads no kubeconfig: it shows the commands for the context they would name.
    const context = values.context || env.LAB_CONTEXT || platformFull.context;
    console.log(t(L(`${lab.id} ${command} (컨텍스트 ${context}) — 실행하지 않고 보여 주기만 합니다:`, `${lab.id} ${command} (context ${context}) — shown, not run:`), lang));
    for (const line of describePlan(lab, command, context)) console.log(`  ${line}`);
    return 0;
  }
  // Refuses the kubeconfig's current context unless it is the lab's or named (src/kube/client.ts).
  const target = resolveTarget(values.context, env);
  await new KubeClient(target).preflight();
  const executor = new LiveExecutor({ context: target.context, runner, env, log });
  try {
    if (command === 'reset') {
      console.log(t(L(`${lab.id}: 네임스페이스 ${lab.namespaces.join(', ')}를 지우고 다시 시작합니다.`, `${lab.id}: deleting namespaces ${lab.namespaces.join(', ')} and starting again.`), lang));
      for (const c of resetCommands(lab, target.context)) {
        log(`$ ${shellLine(c)}`);
        const r = await runner(c);
        if (r.code !== 0) throw new LabError(`${shellLine(c)} exited ${r.code}: ${r.stderr.trim()}`, 1);
      }
      const jobs = labJobs(lab);
      const login = readCredentials().jenkins;
      if (jobs.length && login) {
        const jenkins = new JenkinsClient(endpoints(env).jenkins.url, login);
        for (const job of jobs) log(`• Jenkins job ${job}: ${(await jenkins.deleteJob(job)) ? 'deleted' : 'did not exist'}`);
      }
      console.log(t(L('Gitea에 푸시된 커밋은 그대로 둡니다(기록을 고쳐 쓰지 않습니다).', 'Commits pushed to Gitea stay (history is not rewritten).'), lang));
    }
    await runSteps(lab.start, executor, (line) => log(`• ${line}`));
    if (command === 'solve') await runSteps(lab.solve, executor, (line) => log(`• ${line}`));
  } catch (error) {
    throw asLabError(error);
  }
  if (command !== 'solve') recordStarted(lab, env, command === 'reset');
  const next = command === 'solve' ? L(`채점: npm test -- ${lab.id}`, `Grade it: npm test -- ${lab.id}`) : followThePage(lab);
  console.log(`\n✓ ${lab.id} ${command} (${target.context}). ${t(next, lang)}`);
  return 0;
}

/**
 * When the learner started a lab: what the instructor's class report measures "stuck" from
 * (src/progress.ts). The first start counts; a reset starts the clock again.
 */
function recordStarted(lab: Lab, env: NodeJS.ProcessEnv, reset: boolean): void {
  const file = progressPath(env);
  writeProgress(recordStart(readProgress(file), lab.id, new Date(), reset), file);
}

/** What a learner does after a lab has started. */
const followThePage = (lab: Lab) => L(`실습 페이지를 따라 한 다음 채점하세요: npm test -- ${lab.id}`, `Follow the lab's page, then grade: npm test -- ${lab.id}`);

/** The ids of a lab's checks that fail on the live platform now (one collection, or polling for `waitSeconds`). */
async function liveFailing(lab: Lab, context: string, waitSeconds: number, env: NodeJS.ProcessEnv): Promise<string[]> {
  const grader = await loadGrader(lab.id);
  const { results } = await collectUntilSettled([grader], { context, waitSeconds, collect: (needs, o) => collect(needs, { ...o, env }) });
  return results[0].checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

/** `start <lab> --catch-up` on the live platform (scripts/lib/catch-up.ts). */
async function catchUp(lab: Lab, dryRun: boolean, context: string | undefined, env: NodeJS.ProcessEnv, runner: Runner): Promise<number> {
  const lang = detectLang(env);
  const log = (line: string) => console.log(line);
  const target = resolveTarget(context, env);
  await new KubeClient(target).preflight();
  // Planning grades once; after a solve, the solved lab gets time to settle (LAB_WAIT, else 60 s).
  const settle = Number(env.LAB_WAIT ?? 60);
  const plan = await planCatchUp(lab, (l) => liveFailing(l, target.context, 0, env));
  for (const line of renderCatchUp(plan, lang)) log(line);
  if (dryRun) {
    log(t(L('\n(--dry-run: 채점만 하고 아무것도 바꾸지 않았습니다.)', '\n(--dry-run: graded only; nothing was changed.)'), lang));
    return plan.conflicts.length ? 1 : 0;
  }
  const executor = new LiveExecutor({ context: target.context, runner, env, log });
  const steps = (l: Lab, which: 'start' | 'solve') => runSteps(l[which], executor, (line) => log(`• ${line}`));
  try {
    await runCatchUp(plan, {
      failing: (l) => liveFailing(l, target.context, Number.isFinite(settle) && settle >= 0 ? settle : 60, env),
      solve: async (l) => {
        await steps(l, 'start');
        await steps(l, 'solve');
      },
      start: (l) => steps(l, 'start'),
      log,
    }, lang);
  } catch (error) {
    throw asLabError(error);
  }
  // Caught up, the lab itself starts now: its clock for the class report starts too (as `start`).
  recordStarted(lab, env, false);
  console.log(`\n✓ ${lab.id} start --catch-up (${target.context}). ${t(followThePage(lab), lang)}`);
  return 0;
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  if (wantsHelp(argv)) return printHelp('lab', env);
  const lang = detectLang(env);
  const [command, ...rest] = argv;
  switch (command) {
    case 'list': {
      // --solvable: the ids of the labs `solve` can run (for scripts, e.g. the e2e workflow), one a line.
      const usage = L('사용법: npm run lab -- list [--solvable [--profile <이름>]]', 'usage: npm run lab -- list [--solvable [--profile <name>]]');
      const { values } = parseOptions(rest, { solvable: { type: 'boolean' }, profile: { type: 'string' } }, usage);
      if (values.solvable) console.log(solvableLabs(values.profile === undefined ? undefined : parseProfile(values.profile)).join('\n'));
      else console.log(renderList(lang));
      return 0;
    }
    case 'start':
    case 'reset':
    case 'solve':
      return lifecycle(command, rest, env);
    default:
      throw new LabError(command ? L(`알 수 없는 명령 "${command}". ${USAGE.ko}`, `unknown command "${command}". ${USAGE.en}`) : USAGE);
  }
}


if (process.argv[1]?.endsWith('scripts/lab.ts')) await runMain(() => main());
