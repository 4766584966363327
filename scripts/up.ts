#!/usr/bin/env -S npx tsx
/**
 * npm run up [-- --profile strategies|full] [--dry-run] [--only <component>[,<component>…]]
 *
 * Creates or converges the lab platform (ARCHITECTURE.md#what-up-builds): local registry and
 * pull-through mirrors, kind cluster cicd-lab, Gateway API + NGINX Gateway Fabric with the Gateway
 * `lab` on *.localhost, Gitea with lab/hello-app, Jenkins, Argo CD, Argo Rollouts, and
 * hello-app:v1/v2 in the registry. Each step looks first and acts only when something is missing or
 * different, then waits for readiness with a deadline, and prints its duration; a re-run with
 * nothing to change only checks. Ends with the addresses and where the logins are. The steps are
 * listed in scripts/lib/up/steps.ts, one module per component in scripts/lib/up/components/.
 *
 * Options:
 *   --profile <name>     strategies: registry, cluster, gateway and images only — what the strategy
 *                        labs s1–s6 need, on a small machine; full (the default): everything. The
 *                        profile is recorded in .lab/platform.json once every step converged; a later
 *                        `--profile full` adds the rest, leaving what is there (scripts/lib/profiles.ts)
 *   --dry-run            print the plan — each step, what it saw, the commands it would run — and run
 *                        nothing (it only reads; with Docker unreachable it plans for an empty machine)
 *   --only <components>  only these components: registry, cluster, gateway, images, gitea, jenkins,
 *                        argocd, rollouts (comma-separated; the cluster must exist for all but the
 *                        first two)
 *   --context <name>     refused unless it is kind-cicd-lab: `up` builds the lab's own cluster only
 *
 * Environment:
 *   LAB_MIRROR_HOST      use a shared pull-through mirror on this host (a workshop room's; see
 *                        `npm run prefetch -- --share`) instead of local mirror containers
 *   LAB_MIRRORS=off      no mirrors: the node pulls from the registries directly
 *   LAB_MIRROR_BIND      the address the local mirrors are published on (default: what the last
 *                        `npm run prefetch` chose, kept in .lab/mirrors.json; else 127.0.0.1); a
 *                        mirror published elsewhere is re-created there, its cache kept
 *   LAB_DOCKERHUB_USER, LAB_DOCKERHUB_TOKEN   a Docker Hub login for the docker.io mirror (raises the
 *                        anonymous pull limit); the token is passed through the environment only
 *   LAB_GATEWAY_PORT     the gateway's host port as URLs show it (default 8080)
 *   CODESPACES, CODESPACE_NAME, GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN   set by GitHub in a codespace:
 *                        then each host gets a forwarded port through a proxy, and the services'
 *                        external URLs are those ports' (scripts/lib/codespaces.ts)
 *   LAB_CONTEXT          see --context · LAB_LANG ko | en
 *
 * Exit: 0 converged · 1 a step failed (its command and output are shown) · 2 bad input.
 *
 * The plan is tested on fake machines (test/kit/up/); the commands themselves run in the e2e
 * workflow (ARCHITECTURE.md#what-is-verified-where).
 */
import { LabError, runMain } from '../src/errors.js';
import { L, t, type Text } from '../src/i18n.js';
import { gatewayUrl, credentialsPath } from '../src/platform.js';
import { rel } from '../src/paths.js';
import { asLabError, duration, requireLabContext } from './lib/cli.js';
import { parseOptions } from './lib/options.js';
import { codespace, publicUrl } from './lib/codespaces.js';
import { blockers, gatherFacts, runChecks } from './lib/doctor.js';
import { COMPONENTS, type Component } from './lib/platform.js';
import { parseProfile, profileSteps, PROFILES, readInstalledProfile } from './lib/profiles.js';
import type { ProfileName } from '../src/catalog.js';
import { printHelp, wantsHelp } from './lib/help.js';
import type { UpContext } from './lib/up/context.js';
import { liveContext } from './lib/up/live-context.js';
import { converge, plan, renderPlan, type Step } from './lib/up/plan.js';
import { upSteps } from './lib/up/steps.js';

const USAGE = L(
  '사용법: npm run up [-- --profile strategies|full] [--dry-run] [--only <구성요소>[,…]]   구성요소: ' + COMPONENTS.join(', '),
  'usage: npm run up [-- --profile strategies|full] [--dry-run] [--only <component>[,…]]   components: ' + COMPONENTS.join(', '),
);

export function selectSteps(steps: Step[], only: string | undefined): Step[] {
  if (!only) return steps;
  const wanted = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !COMPONENTS.includes(w as Component));
  if (unknown.length) throw new LabError(L(`알 수 없는 구성요소: ${unknown.join(', ')}. ${USAGE.ko}`, `Unknown component: ${unknown.join(', ')}. ${USAGE.en}`));
  return steps.filter((s) => wanted.includes(s.component) || s.id === 'credentials');
}

/**
 * The steps of `up --profile <profile> [--only …]`: the profile's components in up's order, then the
 * step that records the profile — only when the whole profile runs (not with --only).
 */
export function upPlanSteps(profile: ProfileName, only: string | undefined): Step[] {
  const steps = profileSteps(profile, upSteps);
  return only ? selectSteps(steps.filter((s) => s.id !== 'profile'), only) : steps;
}

/** The addresses and logins, printed at the end of `up`: of the components the installed profile has. */
export function summary(ctx: Pick<UpContext, 'platform' | 'env' | 'lang'>, profile: ProfileName = 'full'): string {
  const p = ctx.platform;
  // The addresses a browser uses here: the forwarded ports in a GitHub Codespace.
  const url = (h: string) => publicUrl(h, p, ctx.env);
  const inCodespace = Boolean(codespace(ctx.env));
  const labs = inCodespace ? L('실습마다 전달되는 포트 하나: `npm run status`가 보여 줍니다', 'one forwarded port each: `npm run status` lists them') : gatewayUrl(`<lab>.${p.gateway.domain}`, ctx.env);
  const has = (c: Component) => PROFILES[profile].components.includes(c);
  const lines: Text[] = [
    L(`랩 플랫폼 주소(프로필 ${profile}):`, `Lab platform addresses (profile ${profile}):`),
    ...(has('jenkins') ? [`  Jenkins   ${url(p.hosts.jenkins)}`] : []),
    ...(has('argocd') ? [`  Argo CD   ${url(p.hosts.argocd)}`] : []),
    ...(has('gitea') ? [`  Gitea     ${url(p.hosts.gitea)}/${p.gitea.org}/${p.gitea.repo}`] : []),
    L(`  레지스트리  ${p.registry.host} (호스트) · ${p.registry.inCluster} (클러스터 안)`, `  Registry  ${p.registry.host} (host) · ${p.registry.inCluster} (in the cluster)`),
    L(`  실습      ${t(labs, 'ko')}`, `  Labs      ${t(labs, 'en')}`),
    L(
      `로그인: ${rel(credentialsPath())}(모드 0600, 설치마다 새로 생성) — \`npm run status\`가 보여 줍니다.`,
      `Logins: ${rel(credentialsPath())} (mode 0600, new for each install) — \`npm run status\` shows them.`,
    ),
  ];
  return lines.map((line) => t(line, ctx.lang)).join('\n');
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  if (wantsHelp(argv)) return printHelp('up', env);
  const { values } = parseOptions(argv, { 'dry-run': { type: 'boolean' }, only: { type: 'string' }, context: { type: 'string' }, profile: { type: 'string' } }, USAGE);
  requireLabContext(values.context, 'up', env);
  const profile = parseProfile(values.profile);
  const ctx = await liveContext({ env });
  const steps = upPlanSteps(profile, values.only);
  const lang = ctx.lang;

  if (values['dry-run']) {
    if (!(await ctx.machine.dockerReachable())) console.log(t(L('Docker에 연결할 수 없어 아무것도 없는 머신을 기준으로 계획합니다.', 'Docker is not reachable: planning for a machine with nothing of the platform on it.'), lang));
    console.log(renderPlan(await plan(steps, ctx), lang));
    console.log(t(L('\n(--dry-run: 아무것도 실행하지 않았습니다. 위의 → 단계가 실행될 것입니다.)', '\n(--dry-run: nothing was run. The → steps above are what `npm run up` would do.)'), lang));
    return 0;
  }

  // Fail early, with the fix, on what would stop the platform from coming up.
  const stop = blockers(runChecks(await gatherFacts(ctx.runner, ctx.platform, env), ctx.versions, ctx.platform, profile));
  if (stop.length) {
    throw new LabError(L(
      `시작할 수 없습니다:\n${stop.map((f) => `  ✗ ${f.title.ko}: ${f.observed}\n    → ${f.fix?.ko ?? ''}`).join('\n')}\n자세한 점검: npm run doctor`,
      `Cannot start:\n${stop.map((f) => `  ✗ ${f.title.en}: ${f.observed}\n    → ${f.fix?.en ?? ''}`).join('\n')}\nFull preflight: npm run doctor`,
    ));
  }
  if (values.only && !values.only.split(',').every((c) => c === 'registry' || c === 'cluster') && !(await ctx.machine.clusterExists(ctx.platform.cluster))) {
    throw new LabError(L(`클러스터 ${ctx.platform.cluster}가 아직 없습니다. 먼저 --only 없이 \`npm run up\`을 실행하세요.`, `The cluster ${ctx.platform.cluster} does not exist yet. Run \`npm run up\` without --only first.`));
  }

  const started = ctx.now();
  try {
    const runs = await converge(steps, ctx);
    const changed = runs.filter((r) => r.changed).length;
    console.log(
      t(L(`\n완료: ${duration((ctx.now() - started) / 1000)}, 단계 ${runs.length}개 중 ${changed}개를 바꿨습니다.\n`, `\nDone in ${duration((ctx.now() - started) / 1000)}: ${changed} of ${runs.length} steps changed something.\n`), lang),
    );
  } catch (error) {
    throw asLabError(error);
  }
  console.log(summary(ctx, readInstalledProfile() ?? profile));
  return 0;
}

if (process.argv[1]?.endsWith('scripts/up.ts')) await runMain(() => main());
