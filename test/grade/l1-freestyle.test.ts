/**
 * Grader of l1-freestyle: a freestyle job builds, pushes and deploys hello-app.
 * Reads the job hello-freestyle (src/jenkins.ts lists the Jenkins shapes), the registry's tags of
 * hello-app and the Deployment hello-app in l1-freestyle. <N> is the number of the job's last
 * successful build.
 */
import { fail, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { countedSuccess, describeBuild, FREESTYLE_JOB, jobKind } from '../../src/jenkins.js';
import type { LabState } from '../../src/state.js';
import { runsTag } from '../../src/kube/workload-checks.js';

const JOB = 'hello-freestyle';
const NS = 'l1-freestyle';
const REPO = 'hello-app';
const noSuccess = L(`${JOB}에 성공한 빌드 없음`, `${JOB} has no successful build`);

/** `l1-<N>`, N the number of the job's last successful build (src/jenkins.ts countedSuccess). */
const tagOf = (s: LabState) => {
  const counted = countedSuccess(s.mustJenkinsJob(JOB), JOB);
  return 'number' in counted ? `l1-${counted.number}` : undefined;
};

export default defineGrader({
  lab: 'l1-freestyle',
  needs: {
    jenkins: [JOB],
    registry: [REPO],
    kubernetes: [{ kinds: ['Deployment', 'Event'], namespaces: [NS] }],
  },
  checks: {
    job: (s) => {
      const record = s.mustJenkinsJob(JOB);
      return record.job?._class === FREESTYLE_JOB ? pass(jobKind(record)) : fail('Freestyle project', jobKind(record));
    },

    build: (s) => {
      const record = s.mustJenkinsJob(JOB);
      const build = record.lastCompletedBuild;
      if (!build) return fail('SUCCESS', L('끝난 빌드 없음', 'no completed build'));
      return build.result === 'SUCCESS' ? pass(describeBuild(build)) : fail('SUCCESS', describeBuild(build), { evidence: [`${build.url ?? ''}console`] });
    },

    image: (s) => {
      const tag = tagOf(s);
      if (!tag) return fail(`${REPO}:l1-<N>`, noSuccess);
      const tags = s.registryTags(REPO) ?? [];
      if (tags.includes(tag)) return pass(`${REPO}:${tag}`);
      const mine = tags.filter((t) => t.startsWith('l1-'));
      return fail(`${REPO}:${tag}`, L(`l1- 태그: ${mine.length ? mine.join(', ') : '없음'}`, `l1- tags: ${mine.length ? mine.join(', ') : 'none'}`));
    },

    deploy: (s) => {
      const tag = tagOf(s);
      if (!tag) return fail(L('hello-app: 태그 l1-<N>, 롤아웃 완료', 'hello-app: tag l1-<N>, rollout complete'), noSuccess);
      return runsTag(s, NS, 'hello-app', tag);
    },
  },
});
