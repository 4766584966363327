/** Component `argocd`: Argo CD (reduced footprint), and its generated admin password copied into the credentials file. */
import { L } from '../../../../src/i18n.js';
import { readCredentials } from '../../../../src/platform.js';
import { updateCredentials } from '../../credentials.js';
import { waitFor } from '../../../../src/wait.js';
import { helmStep } from '../helm.js';
import { manifestStep, namespaceStep, rollout } from '../kubectl.js';
import { task, type Step } from '../plan.js';

export function argocdSteps(): Step[] {
  return [
    namespaceStep('argocd'),
    helmStep('argocd', 'argocd', L('Argo CD(작은 구성)', 'Argo CD (reduced footprint)'), 'argo-cd', 'argocd', (ctx) => [
      rollout(ctx, ctx.platform.releases.argocd.namespace, 'deployment/argocd-server', 600),
      rollout(ctx, ctx.platform.releases.argocd.namespace, 'deployment/argocd-repo-server', 600),
      rollout(ctx, ctx.platform.releases.argocd.namespace, 'statefulset/argocd-application-controller', 600),
    ]),
    manifestStep('argocd-route', 'argocd', L('HTTPRoute argocd.localhost', 'HTTPRoute argocd.localhost'), 'platform/manifests/routes/argocd.yaml'),
    {
      id: 'argocd-login',
      component: 'argocd',
      title: L('Argo CD 관리자 비밀번호를 credentials 파일에', "Argo CD's admin password into the credentials file"),
      async observe(ctx) {
        const saved = readCredentials().argocd?.password;
        const secret = await ctx.machine.secret(ctx.platform.releases.argocd.namespace, 'argocd-initial-admin-secret');
        if (saved && (!secret || secret.password === saved)) return { done: true, reason: 'saved' };
        return { done: false, reason: secret ? 'not saved yet' : 'the initial admin Secret does not exist yet' };
      },
      actions: (ctx) => [
        task(`read Secret ${ctx.platform.releases.argocd.namespace}/argocd-initial-admin-secret into .lab/credentials.json`, async (c) => {
          const secret = await waitFor(async () => {
            const s = await c.machine.secret(c.platform.releases.argocd.namespace, 'argocd-initial-admin-secret');
            return s?.password ? { done: true, value: s } : { done: false, seen: 'no Secret yet' };
          }, { what: 'Argo CD initial admin Secret', timeoutMs: 120_000 });
          updateCredentials((cr) => void (cr.argocd = { user: c.platform.logins.argocd, password: secret.password }));
        }),
      ],
    },
  ];
}
