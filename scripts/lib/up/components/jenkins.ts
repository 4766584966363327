/**
 * Component `jenkins`: its Secrets, what build pods may do (lab-builder RBAC), the agent image the
 * build pods run (agent-image.ts), Jenkins itself (JCasC, plugins, the lab-builder pod template:
 * renderers/), and an API token for the kit's own calls.
 */
import { LabError } from '../../../../src/errors.js';
import { waitForOk } from '../../../../src/http.js';
import { L } from '../../../../src/i18n.js';
import { gatewayUrl, readCredentials } from '../../../../src/platform.js';
import { updateCredentials } from '../../credentials.js';
import { JenkinsClient } from '../../jenkins.js';
import { AGENT_DIR, agentBuildArgs, agentImageTag } from '../agent-image.js';
import type { UpContext } from '../context.js';
import { helmStep } from '../helm.js';
import { manifestStep, namespaceStep, rollout, secretsStep } from '../kubectl.js';
import { cmd, task, type Step } from '../plan.js';
import { IMAGE_SOURCE_LABEL } from './images.js';

export function jenkinsSteps(): Step[] {
  return [
    namespaceStep('jenkins'),
    secretsStep('jenkins-secrets', 'jenkins', L('Jenkins 관리자와 Gitea 자격 증명 Secret', 'Jenkins admin and Gitea credential Secrets')),
    manifestStep('lab-builder-rbac', 'jenkins', L('빌드 파드의 권한(lab-builder RBAC)', 'What build pods may do (lab-builder RBAC)'), 'platform/manifests/lab-builder-rbac.yaml'),
    {
      id: 'agent-image',
      component: 'jenkins',
      title: L('Jenkins 에이전트 이미지(npm, buildah, kubectl, helm 포함)', 'Jenkins agent image (with npm, buildah, kubectl, helm)'),
      async observe(ctx) {
        const tag = agentImageTag(ctx.versions);
        return (await ctx.machine.imageLabel('lab-agent', tag, IMAGE_SOURCE_LABEL)) === tag
          ? { done: true, reason: `lab-agent:${tag} is in the registry` }
          : { done: false, reason: `lab-agent:${tag} is not in the registry` };
      },
      actions(ctx) {
        const tag = agentImageTag(ctx.versions);
        const ref = `${ctx.platform.registry.host}/lab-agent:${tag}`;
        const args = Object.entries(agentBuildArgs(ctx.versions)).flatMap(([k, value]) => ['--build-arg', `${k}=${value}`]);
        return [
          cmd({ cmd: 'docker', args: ['build', '-f', `${AGENT_DIR}/Containerfile`, ...args, '--label', `${IMAGE_SOURCE_LABEL}=${tag}`, '-t', ref, AGENT_DIR] }),
          cmd({ cmd: 'docker', args: ['push', ref] }),
        ];
      },
    },
    helmStep('jenkins', 'jenkins', L('Jenkins(JCasC, 플러그인, lab-builder 파드 템플릿)', 'Jenkins (JCasC, plugins, lab-builder pod template)'), 'jenkins', 'jenkins', (ctx) => [
      rollout(ctx, ctx.platform.releases.jenkins.namespace, `statefulset/${ctx.platform.releases.jenkins.name}`, 900),
    ]),
    manifestStep('jenkins-route', 'jenkins', L('HTTPRoute jenkins.localhost', 'HTTPRoute jenkins.localhost'), 'platform/manifests/routes/jenkins.yaml'),
    {
      id: 'jenkins-token',
      component: 'jenkins',
      title: L('Jenkins API 토큰', 'Jenkins API token'),
      async observe(ctx) {
        const j = readCredentials().jenkins;
        if (!j?.token) return { done: false, reason: 'no API token in the credentials file' };
        return (await ctx.machine.jenkinsTokenWorks(j.user, j.token)) ? { done: true, reason: 'the saved API token works' } : { done: false, reason: 'Jenkins refuses the saved API token' };
      },
      actions: (ctx) => [task(`wait for ${gatewayUrl(ctx.platform.hosts.jenkins, ctx.env)}/login, generate an API token (crumb + session), save it`, jenkinsToken)],
    },
  ];
}

async function jenkinsToken(ctx: UpContext): Promise<void> {
  const login = readCredentials().jenkins;
  if (!login) throw new LabError(L('Jenkins 로그인이 없습니다.', 'There is no Jenkins login.'));
  const url = gatewayUrl(ctx.platform.hosts.jenkins, ctx.env);
  await waitForOk(`${url}/login`, { what: `Jenkins at ${url}`, timeoutMs: 600_000, intervalMs: 5000 });
  const token = await new JenkinsClient(url, { user: login.user, password: login.password }).generateToken('cicd-lab');
  updateCredentials((c) => void (c.jenkins = { ...c.jenkins!, token }));
}
