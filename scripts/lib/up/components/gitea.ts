/** Component `gitea`: its admin Secret, Gitea itself, and the repository lab/hello-app seeded from labs/app. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../../../src/errors.js';
import { waitForOk } from '../../../../src/http.js';
import { L } from '../../../../src/i18n.js';
import { gatewayUrl, readCredentials } from '../../../../src/platform.js';
import { collectFiles, GiteaClient } from '../../gitea.js';
import type { UpContext } from '../context.js';
import { helmStep } from '../helm.js';
import { manifestStep, namespaceStep, rollout, secretsStep } from '../kubectl.js';
import { task, type Step } from '../plan.js';

export function giteaSteps(): Step[] {
  return [
    namespaceStep('gitea'),
    secretsStep('gitea-secret', 'gitea', L('Gitea 관리자 Secret', 'Gitea admin Secret')),
    helmStep('gitea', 'gitea', L('Gitea', 'Gitea'), 'gitea', 'gitea', (ctx) => [rollout(ctx, ctx.platform.releases.gitea.namespace, `deployment/${ctx.platform.releases.gitea.name}`, 600)]),
    manifestStep('gitea-route', 'gitea', L('HTTPRoute git.localhost', 'HTTPRoute git.localhost'), 'platform/manifests/routes/gitea.yaml'),
    {
      id: 'gitea-seed',
      component: 'gitea',
      title: L('Gitea 저장소 lab/hello-app(labs/app에서 시작)', 'Gitea repository lab/hello-app (seeded from labs/app)'),
      async observe(ctx) {
        const repo = `${ctx.platform.gitea.org}/${ctx.platform.gitea.repo}`;
        return (await ctx.machine.giteaRepoExists(repo)) ? { done: true, reason: `${repo} exists (it may hold the learner's work: not seeded again)` } : { done: false, reason: `no repository ${repo}` };
      },
      actions: (ctx) => [
        task(`wait for ${gatewayUrl(ctx.platform.hosts.gitea, ctx.env)}, create org ${ctx.platform.gitea.org} and repo ${ctx.platform.gitea.repo}, commit labs/app to main (Gitea API)`, seedGitea),
      ],
    },
  ];
}

async function seedGitea(ctx: UpContext): Promise<void> {
  const login = readCredentials().gitea;
  if (!login) throw new LabError(L('Gitea 로그인이 없습니다.', 'There is no Gitea login.'));
  const url = gatewayUrl(ctx.platform.hosts.gitea, ctx.env);
  await waitForOk(`${url}/api/v1/version`, { what: `Gitea at ${url}`, timeoutMs: 300_000 });
  const gitea = new GiteaClient(url, login);
  const repo = `${ctx.platform.gitea.org}/${ctx.platform.gitea.repo}`;
  await gitea.ensureOrg(ctx.platform.gitea.org);
  const created = await gitea.ensureRepo(repo);
  if (created === 'created' && existsSync(join(ctx.root, 'labs', 'app'))) {
    const { files, folders } = collectFiles(ctx.root, { '.': 'labs/app' });
    const changes = await gitea.commitFiles(repo, 'main', files, folders, 'hello-app from cicd-lab labs/app');
    ctx.log(`    ${repo}: ${changes.length} files committed to main`);
  }
}
