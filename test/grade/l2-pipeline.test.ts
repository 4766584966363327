/**
 * Grader of l2-pipeline: a Pipeline job whose Jenkinsfile comes from the Gitea repository
 * lab/hello-app, with the stages Build → Container Build → Deploy. Reads the job
 * hello-pipeline — its config.xml for the definition, `wfapi/describe` of its last completed run
 * for the stages (src/jenkins.ts lists the shapes) — and the Deployment hello-app in l2-pipeline.
 * A run counts only when its Jenkinsfile came from SCM: a Replay (its script given in Jenkins)
 * does not, whether it is the last run (job, stages, build) or the last success (deploy's <N>).
 */
import { fail, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { countedSuccess, describeBuild, isRepository, jobKind, notFromScm, pipelineDefinition, replayHint, stageList, stagesInOrder, stagesOf, WORKFLOW_JOB } from '../../src/jenkins.js';
import { platform } from '../../src/platform.js';
import { runsTag } from '../../src/kube/workload-checks.js';

const JOB = 'hello-pipeline';
const NS = 'l2-pipeline';
const REPO = `${platform.gitea.org}/${platform.gitea.repo}`;
const STAGES = ['Build', 'Container Build', 'Deploy'];

export default defineGrader({
  lab: 'l2-pipeline',
  needs: {
    jenkins: [JOB],
    kubernetes: [{ kinds: ['Deployment', 'Event'], namespaces: [NS] }],
  },
  checks: {
    job: (s) => {
      const expected = L(`SCM(${REPO})의 Jenkinsfile을 읽는 Pipeline`, `a Pipeline reading its Jenkinsfile from SCM (${REPO})`);
      const record = s.mustJenkinsJob(JOB);
      if (record.job?._class !== WORKFLOW_JOB) return fail(expected, jobKind(record));
      const definition = pipelineDefinition(record);
      if (!definition) return fail(expected, L('config.xml에서 Pipeline 정의를 읽을 수 없음', 'no Pipeline definition readable in config.xml'));
      if (definition.kind === 'inline') {
        return fail(expected, L('작업 안에 저장된 스크립트(Pipeline script, CpsFlowDefinition)', 'a script stored in the job (Pipeline script, CpsFlowDefinition)'));
      }
      if (definition.kind !== 'scm') return fail(expected, `definition ${definition.definitionClass}`);
      if (!definition.repositories.some((url) => isRepository(url, REPO))) {
        return fail(expected, L(`SCM 저장소: ${definition.repositories.join(', ') || '없음'}`, `SCM repository: ${definition.repositories.join(', ') || 'none'}`));
      }
      // The definition says SCM, but a Replay ran a script given in Jenkins instead.
      const replay = notFromScm(record.lastCompletedBuild, REPO);
      if (replay) return fail(expected, L(`정의는 SCM이지만 마지막 ${replay.ko}`, `defined from SCM, but the last ${replay.en}`), { hint: replayHint(REPO) });
      return pass(`Pipeline script from SCM: ${definition.repositories.join(', ')} ${definition.scriptPath ?? 'Jenkinsfile'}`);
    },

    stages: (s) => {
      const expected = L(`${STAGES.join(' → ')} 순서, 모두 SUCCESS`, `${STAGES.join(' → ')} in this order, each SUCCESS`);
      const record = s.mustJenkinsJob(JOB);
      if (!record.lastCompletedBuild) return fail(expected, L('끝난 실행 없음', 'no completed run'));
      const replay = notFromScm(record.lastCompletedBuild, REPO);
      if (replay) return fail(expected, replay, { hint: replayHint(REPO) });
      if (!record.stages) return fail(expected, L('단계 정보 없음(Pipeline 작업이 아니거나 Stage View REST API가 없음)', 'no stage data (not a Pipeline job, or no Stage View REST API)'));
      const stages = stagesOf(record.stages);
      const problem = stagesInOrder(stages, STAGES);
      const run = describeBuild(record.lastCompletedBuild);
      if (problem) return fail(expected, L(`${run}: ${stageList(stages)} (${problem.ko})`, `${run}: ${stageList(stages)} (${problem.en})`));
      return pass(`${run}: ${stageList(stages)}`);
    },

    build: (s) => {
      const record = s.mustJenkinsJob(JOB);
      const build = record.lastCompletedBuild;
      if (!build) return fail('SUCCESS', L('끝난 실행 없음', 'no completed run'));
      const replay = notFromScm(build, REPO);
      if (replay) return fail(L('SCM의 Jenkinsfile로 돈 실행이 SUCCESS', 'SUCCESS, by a run of the Jenkinsfile from SCM'), replay, { hint: replayHint(REPO) });
      return build.result === 'SUCCESS' ? pass(describeBuild(build)) : fail('SUCCESS', describeBuild(build), { evidence: [`${build.url ?? ''}console`] });
    },

    deploy: (s) => {
      const record = s.mustJenkinsJob(JOB);
      const expected = L('hello-app: 태그 l2-<N>, 롤아웃 완료', 'hello-app: tag l2-<N>, rollout complete');
      const counted = countedSuccess(record, REPO);
      if ('problem' in counted) return fail(expected, L(`${JOB}: ${counted.problem.ko}`, `${JOB}: ${counted.problem.en}`), { hint: counted.hint });
      return runsTag(s, NS, 'hello-app', `l2-${counted.number}`);
    },
  },
});
