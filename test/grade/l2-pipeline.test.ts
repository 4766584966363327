/**
 * Grader of l2-pipeline: a Pipeline job whose Jenkinsfile comes from the Gitea repository
 * lab/hello-app, with the stages Build → Container Build → Deploy (DESIGN §4). Reads the job
 * hello-pipeline — its config.xml for the definition, `wfapi/describe` of its last completed run
 * for the stages (src/jenkins.ts lists the shapes) — and the Deployment hello-app in l2-pipeline.
 */
import { fail, pass } from '../../src/checks.js';
import { defineGrader } from '../../src/grader.js';
import { L } from '../../src/i18n.js';
import { describeBuild, isRepository, jobKind, lastSuccessfulNumber, pipelineDefinition, stageList, stagesInOrder, stagesOf, WORKFLOW_JOB } from '../../src/jenkins.js';
import { platform } from '../../src/platform.js';
import { runsTag } from '../../src/workloads.js';

const JOB = 'hello-pipeline';
const NS = 'l2-pipeline';
const REPO = `${platform.gitea.org}/${platform.gitea.repo}`;
const STAGES = ['Build', 'Container Build', 'Deploy'];
const noJob = L(`Jenkins에 작업 ${JOB} 없음`, `no job ${JOB} in Jenkins`);

export default defineGrader({
  lab: 'l2-pipeline',
  needs: {
    jenkins: [JOB],
    kubernetes: [{ kinds: ['Deployment', 'Event'], namespaces: [NS] }],
  },
  checks: {
    job: (s) => {
      const expected = L(`SCM(${REPO})의 Jenkinsfile을 읽는 Pipeline`, `a Pipeline reading its Jenkinsfile from SCM (${REPO})`);
      const record = s.jenkinsJob(JOB);
      if (!record) return fail(expected, noJob);
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
      return pass(`Pipeline script from SCM: ${definition.repositories.join(', ')} ${definition.scriptPath ?? 'Jenkinsfile'}`);
    },

    stages: (s) => {
      const expected = L(`${STAGES.join(' → ')} 순서, 모두 SUCCESS`, `${STAGES.join(' → ')} in this order, each SUCCESS`);
      const record = s.jenkinsJob(JOB);
      if (!record) return fail(expected, noJob);
      if (!record.lastCompletedBuild) return fail(expected, L('끝난 실행 없음', 'no completed run'));
      if (!record.stages) return fail(expected, L('단계 정보 없음(Pipeline 작업이 아니거나 Stage View REST API가 없음)', 'no stage data (not a Pipeline job, or no Stage View REST API)'));
      const stages = stagesOf(record.stages);
      const problem = stagesInOrder(stages, STAGES);
      const run = describeBuild(record.lastCompletedBuild);
      if (problem) return fail(expected, L(`${run}: ${stageList(stages)} (${problem.ko})`, `${run}: ${stageList(stages)} (${problem.en})`));
      return pass(`${run}: ${stageList(stages)}`);
    },

    build: (s) => {
      const record = s.jenkinsJob(JOB);
      if (!record) return fail('SUCCESS', noJob);
      const build = record.lastCompletedBuild;
      if (!build) return fail('SUCCESS', L('끝난 실행 없음', 'no completed run'));
      return build.result === 'SUCCESS' ? pass(describeBuild(build)) : fail('SUCCESS', describeBuild(build), { evidence: [`${build.url ?? ''}console`] });
    },

    deploy: (s) => {
      const n = lastSuccessfulNumber(s.jenkinsJob(JOB));
      if (n === undefined) {
        return fail(L('hello-app: 태그 l2-<N>, 롤아웃 완료', 'hello-app: tag l2-<N>, rollout complete'), s.jenkinsJob(JOB) ? L(`${JOB}에 성공한 실행 없음`, `${JOB} has no successful run`) : noJob);
      }
      return runsTag(s, NS, 'hello-app', `l2-${n}`);
    },
  },
});
