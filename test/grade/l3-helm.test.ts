/**
 * Grader of l3-helm: release hello-app of chart hello-app in l3-helm, the image tag supplied at
 * deploy time by the pipeline. Reads Helm's release Secrets in l3-helm (each revision
 * is `sh.helm.release.v1.hello-app.v<revision>`; src/kube/helm.ts decodes them: info.status, version,
 * config = the values supplied with --set/--values), the Deployments Helm manages there
 * (annotation meta.helm.sh/release-name), the registry's tags and the job hello-pipeline.
 */
import { fail, firstFailure, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { countedSuccess } from '../../src/jenkins.js';
import { platform } from '../../src/platform.js';
import { releaseHistory, type HelmRelease } from '../../src/kube/helm.js';
import { found, type LabState } from '../../src/state.js';
import { runsTag } from '../../src/kube/workload-checks.js';

const NS = 'l3-helm';
const RELEASE = 'hello-app';
const JOB = 'hello-pipeline';
const REPO = 'hello-app';
const GIT_REPO = `${platform.gitea.org}/${platform.gitea.repo}`;

const latest = (s: LabState): HelmRelease | undefined => releaseHistory(s.list('Secret', NS), RELEASE).pop();
const mustRelease = (r: HelmRelease | undefined): HelmRelease => found(r, L('Helm 릴리스', 'Helm release'), RELEASE, NS);
const describe = (r: HelmRelease) => `revision ${r.version} ${r.info?.status ?? 'unknown'}${r.info?.description ? ` (${r.info.description})` : ''}`;

/** The image tag the release was given at deploy time (`--set image.tag=…`), if any. */
function suppliedTag(r: HelmRelease): string | undefined {
  const image = (r.config as any)?.image;
  const tag = image && typeof image === 'object' ? image.tag : undefined;
  return tag === undefined || tag === null || tag === '' ? undefined : String(tag);
}

export default defineGrader({
  lab: 'l3-helm',
  needs: {
    kubernetes: [
      { kinds: ['Secret'], namespaces: [NS], labelSelector: 'owner=helm' },
      { kinds: ['Deployment', 'Event'], namespaces: [NS] },
    ],
    registry: [REPO],
    jenkins: [JOB],
  },
  checks: {
    release: (s) => {
      const r = mustRelease(latest(s));
      return r.info?.status === 'deployed' ? pass(describe(r)) : fail('deployed', describe(r));
    },

    upgraded: (s) => {
      const r = mustRelease(latest(s));
      return r.version >= 2 ? pass(`revision ${r.version}`) : fail(L('리비전 2 이상', 'revision 2 or more'), `revision ${r.version}`);
    },

    'injected-tag': (s) => {
      const expected = L('배포 명령이 넣은 image.tag를 Deployment가 실행하고, 레지스트리에 그 태그가 있음', 'the image.tag supplied at deploy time runs in the Deployment, and the registry has it');
      const r = mustRelease(latest(s));
      const tag = suppliedTag(r);
      if (!tag) return fail(expected, L(`리비전 ${r.version}의 배포 때 넣은 값: ${JSON.stringify(r.config ?? {})}`, `values supplied to revision ${r.version}: ${JSON.stringify(r.config ?? {})}`));
      const managed = s.list('Deployment', NS).filter((d) => d.metadata.annotations?.['meta.helm.sh/release-name'] === RELEASE);
      if (!managed.length) return fail(expected, L(`image.tag=${tag}; 릴리스 ${RELEASE}가 관리하는 Deployment 없음`, `image.tag=${tag}; no Deployment managed by release ${RELEASE}`));
      return firstFailure(
        ...managed.map((d) => () => runsTag(s, NS, d.metadata.name, tag)),
        () => ((s.registryTags(REPO) ?? []).includes(tag) ? pass(`${REPO}:${tag} in the registry`) : fail(`${REPO}:${tag}`, L('레지스트리에 그 태그 없음', 'the registry has no such tag'))),
      );
    },

    pipeline: (s) => {
      const counted = countedSuccess(s.jenkinsJob(JOB), GIT_REPO);
      const last = latest(s);
      if ('problem' in counted) return fail('image.tag=l2-<N>', L(`${JOB}: ${counted.problem.ko}`, `${JOB}: ${counted.problem.en}`), { hint: counted.hint });
      const n = counted.number;
      const expected = `image.tag=l2-${n}`;
      const r = mustRelease(last);
      const tag = suppliedTag(r);
      if (!tag) return fail(expected, L(`리비전 ${r.version}: image.tag를 넣지 않음`, `revision ${r.version}: no image.tag supplied`));
      return tag === `l2-${n}` ? pass(`revision ${r.version}: image.tag=${tag}`) : fail(expected, `revision ${r.version}: image.tag=${tag}`);
    },
  },
});
