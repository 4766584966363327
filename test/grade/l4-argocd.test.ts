/**
 * Grader of l4-argocd: Applications hello-dev (automated) and hello-prod (manual) from the
 * overlays of lab/hello-app, each in its own AppProject, and the pipeline delivering by commit.
 * Reads the Applications and AppProjects in Argo CD's namespace (shapes in
 * src/argocd.ts), Argo CD's settings (the argocd-cm ConfigMap, for its resource tracking method),
 * the Deployments of l4-dev and l4-prod, the head of main in Gitea and the job hello-pipeline.
 * An Application's status counts only when Argo CD compared its current spec
 * (ARCHITECTURE.md#observed-status, src/kube/observed.ts); a single source reports `revision`,
 * several `revisions[]`.
 */
import { holds } from '../../src/check-builders.js';
import { fail, firstFailure, pass, type Outcome } from '../../src/checks.js';
import { allowedNamespaces, appEvidence, appInstanceName, appRevisions, appSources, appStatusLine, ARGOCD_CM, automatedPolicy, describeTracking, SETTINGS_SELECTOR, trackingMarks, trackingSettings } from '../../src/argocd.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { countedSuccess, isRepository } from '../../src/jenkins.js';
import { platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/snapshot.js';
import type { LabState } from '../../src/state.js';
import { imageTag } from '../../src/kube/objects.js';
import { observedStatus } from '../../src/kube/observed.js';
import { appImage } from '../../src/kube/workload-checks.js';

const ARGOCD = platform.namespaces.argocd;
const REPO = `${platform.gitea.org}/${platform.gitea.repo}`;
const JOB = 'hello-pipeline';
const ENVS = {
  dev: { app: 'hello-dev', project: 'dev', namespace: 'l4-dev', path: 'deploy/kustomize/overlays/dev' },
  prod: { app: 'hello-prod', project: 'prod', namespace: 'l4-prod', path: 'deploy/kustomize/overlays/prod' },
} as const;
type Env = keyof typeof ENVS;

const app = (s: LabState, env: Env) => s.must('Application', ARGOCD, ENVS[env].app);

function source(s: LabState, env: Env): Outcome {
  const { app: name, namespace, path } = ENVS[env];
  const a = app(s, env);
  const expected = `${name}: ${REPO} ${path} → ${namespace}`;
  const sources = appSources(a);
  const fromRepo = sources.filter((x) => isRepository(x.repoURL, REPO));
  const observed = `${name}: ${sources.map((x) => `${x.repoURL} ${x.path || '.'}`).join('; ') || 'no source'} → ${a.spec?.destination?.namespace ?? '?'}`;
  if (!fromRepo.length || !fromRepo.some((x) => x.path === path) || a.spec?.destination?.namespace !== namespace) return fail(expected, observed);
  return pass(observed);
}

function project(s: LabState, env: Env): Outcome {
  const { app: name, project: projectName, namespace } = ENVS[env];
  const a = app(s, env);
  const expected = L(`${name}: AppProject ${projectName}, 허용 네임스페이스는 ${namespace}뿐`, `${name}: AppProject ${projectName}, which allows only ${namespace}`);
  if ((a.spec?.project ?? 'default') !== projectName) return fail(expected, `${name}: project ${a.spec?.project ?? 'default'}`);
  const p = s.must('AppProject', ARGOCD, projectName);
  const allowed = allowedNamespaces(p);
  const observed = L(`${projectName}의 destinations 네임스페이스: ${allowed.join(', ') || '없음'}`, `${projectName} allows namespaces: ${allowed.join(', ') || 'none'}`);
  return allowed.length && allowed.every((ns) => ns === namespace) ? pass(observed) : fail(expected, observed);
}

function syncedHealthy(a: KubeObject): boolean {
  return a.status?.sync?.status === 'Synced' && a.status?.health?.status === 'Healthy';
}

/** The commit hello-dev compared its lab/hello-app dev-overlay source with (revision, or its entry of revisions[]). */
function devRevision(a: KubeObject): string | undefined {
  const sources = appSources(a);
  const revisions = appRevisions(a);
  const i = sources.findIndex((x) => isRepository(x.repoURL, REPO) && x.path === ENVS.dev.path);
  const j = i >= 0 ? i : sources.findIndex((x) => isRepository(x.repoURL, REPO));
  return j >= 0 ? revisions[j] : undefined;
}

export default defineGrader({
  lab: 'l4-argocd',
  needs: {
    kubernetes: [
      { kinds: ['Application', 'AppProject'], namespaces: [ARGOCD] },
      // Argo CD's settings, read with the selector Argo CD itself reads them with.
      { kinds: ['ConfigMap'], namespaces: [ARGOCD], labelSelector: SETTINGS_SELECTOR },
      { kinds: ['Deployment'], namespaces: [ENVS.dev.namespace, ENVS.prod.namespace] },
    ],
    jenkins: [JOB],
    git: [REPO],
  },
  checks: {
    apps: (s) => firstFailure(() => source(s, 'dev'), () => source(s, 'prod')),

    'dev-auto': (s) => {
      const a = app(s, 'dev');
      const expected = L('자동 동기화, prune과 selfHeal', 'automated sync with prune and selfHeal');
      const policy = automatedPolicy(a);
      if (!policy) return fail(expected, L('자동 동기화 없음', 'no automated sync'));
      const observed = `automated: prune ${policy.prune}, selfHeal ${policy.selfHeal}`;
      return policy.prune && policy.selfHeal ? pass(observed) : fail(expected, observed);
    },

    'prod-manual': holds({ kind: 'Application', namespace: ARGOCD, name: ENVS.prod.app }, {
      expected: L('자동 동기화 없음(수동 동기화)', 'no automated sync (manual sync)'),
      test: (a) => !automatedPolicy(a),
      observed: (a) => {
        const policy = automatedPolicy(a);
        return policy ? `automated: prune ${policy.prune}, selfHeal ${policy.selfHeal}` : L('수동 동기화', 'manual sync');
      },
    }),

    projects: (s) => firstFailure(() => project(s, 'dev'), () => project(s, 'prod')),

    synced: (s) => {
      const dev = app(s, 'dev');
      const prod = app(s, 'prod');
      const head = s.gitBranch(REPO, 'main');
      const expected = L(`둘 다 Synced, Healthy; hello-dev는 main의 HEAD(${head?.slice(0, 7) ?? '?'})`, `both Synced and Healthy; hello-dev at the HEAD of main (${head?.slice(0, 7) ?? '?'})`);
      const observed = `hello-dev: ${appStatusLine(dev)}; hello-prod: ${appStatusLine(prod)}`;
      const evidence = [...appEvidence(dev), ...appEvidence(prod)];
      for (const a of [dev, prod]) {
        const status = observedStatus(s, a);
        if (!status.current) {
          return fail(expected, L(`${observed}; ${status.stale.ko}`, `${observed}; ${status.stale.en}`), {
            evidence,
            hint: L(
              'Argo CD가 바뀐 spec을 아직 비교하지 않았습니다. 잠시 기다리거나 Application을 새로 고치세요(Refresh).',
              'Argo CD has not compared the changed spec yet. Wait a moment, or refresh the Application.',
            ),
          });
        }
      }
      if (!syncedHealthy(dev) || !syncedHealthy(prod)) return fail(expected, observed, { evidence });
      if (!head) return fail(expected, L(`${observed}; Gitea에 ${REPO}의 main 없음`, `${observed}; Gitea has no main in ${REPO}`));
      if (devRevision(dev) !== head) {
        return fail(expected, observed, {
          evidence,
          hint: L(
            'Argo CD는 몇 분마다 Git을 봅니다. 파이프라인의 커밋이 아직 반영되지 않았다면 기다리거나 hello-dev를 새로 고치세요(Refresh).',
            'Argo CD looks at Git every few minutes. If the pipeline’s commit is not picked up yet, wait or refresh hello-dev.',
          ),
        });
      }
      return pass(observed);
    },

    gitops: (s) => {
      const counted = countedSuccess(s.jenkinsJob(JOB), REPO);
      const n = 'number' in counted ? counted.number : undefined;
      const expected = L(`l4-dev의 hello-app: 태그 l2-${n ?? '<N>'}, Argo CD(hello-dev)가 관리`, `hello-app in l4-dev: tag l2-${n ?? '<N>'}, managed by Argo CD (hello-dev)`);
      if ('problem' in counted) return fail(expected, L(`${JOB}: ${counted.problem.ko}`, `${JOB}: ${counted.problem.en}`), { hint: counted.hint });
      const d = s.must('Deployment', ENVS.dev.namespace, 'hello-app');
      const image = appImage(d);
      // Managed means carrying hello-dev's mark in the tracking method Argo CD is configured with.
      const settings = trackingSettings(s.get('ConfigMap', ARGOCD, ARGOCD_CM));
      const { mark, source } = describeTracking(settings);
      const owner = appInstanceName(d, settings);
      const observed = owner
        ? L(`이미지 ${image}, 관리: ${owner}, ${mark.ko}로 추적(${source.ko})`, `image ${image}, managed by ${owner}, tracked by ${mark.en} (${source.en})`)
        : L(
            `이미지 ${image}; 관리하는 Application 없음: ${trackingMarks(d, settings)}, 그러나 Argo CD는 ${mark.ko}로 추적함(${source.ko})`,
            `image ${image}; managed by no Application: ${trackingMarks(d, settings)}, but Argo CD tracks by ${mark.en} (${source.en})`,
          );
      if (imageTag(image) === `l2-${n}` && owner === ENVS.dev.app) return pass(observed);
      return fail(expected, observed, {
        hint:
          owner === ENVS.dev.app
            ? undefined
            : L(
                `Argo CD가 관리하는 객체에는 그 Application의 추적 표시(${mark.ko})가 있습니다. 손으로 적용한 객체나 손으로 붙인 레이블은 관리되는 것이 아닙니다. hello-dev가 Git에서 동기화하게 하세요.`,
                `What Argo CD manages carries its Application's tracking mark (${mark.en}); an object applied by hand, or a label set by hand, is not managed. Let hello-dev sync it from Git.`,
              ),
      });
    },
  },
});
